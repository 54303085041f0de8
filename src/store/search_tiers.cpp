#include "store/search_tiers.hpp"

#include <set>

#include "util/errors.hpp"

namespace usersctl::store {

std::vector<std::string> search_columns(const model::SearchFields& fields, const char* const (&names)[4]) {
  std::vector<std::string> columns;
  if (fields.username) columns.emplace_back(names[0]);
  if (fields.name) columns.emplace_back(names[1]);
  if (fields.email) columns.emplace_back(names[2]);
  if (fields.attrs) columns.emplace_back(names[3]);
  if (columns.empty()) throw UsageError("--in: no field to search");
  return columns;
}

std::string username_prefix_sql(const model::SearchFields& fields, const std::string& text,
                                const std::string& limit, const std::string& top) {
  if (!fields.username) return {};
  // Exact name first, then names starting with the text: a range on the username index.
  return "SELECT id FROM users WHERE username >= " + text + " AND username < " + text + " || " + top +
         " AND deleted_at IS NULL ORDER BY username = " + text + " DESC, username LIMIT " + limit;
}

std::vector<std::int64_t> search_user_ids(const model::SearchQuery& query, const SearchSql& sql,
                                          const ReadIds& read) {
  const auto limit = static_cast<std::size_t>(query.limit);
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  if (!sql.username_prefix.empty() && limit > 0) {
    read(sql.username_prefix, query.text, query.limit, [&](std::int64_t id) {
      if (seen.insert(id).second) ids.push_back(id);
      return true;
    });
  }
  if (ids.size() < limit) {
    // Enough rows to fill the page after dropping those the first tier already has.
    const auto want = static_cast<std::int64_t>(limit + ids.size());
    read(sql.others, sql.others_param, want, [&](std::int64_t id) {
      if (seen.insert(id).second) ids.push_back(id);
      return ids.size() < limit;
    });
  }
  return ids;
}

}  // namespace usersctl::store
