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

std::vector<std::int64_t> rank_search_ids(std::size_t limit, const PrefixTier& prefix,
                                          const OtherTier& others) {
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  if (prefix && limit > 0) {
    prefix([&](std::int64_t id) {
      if (seen.insert(id).second) ids.push_back(id);
      return true;
    });
  }
  if (ids.size() < limit) {
    others(ids.size(), [&](std::int64_t id) {
      if (seen.insert(id).second) ids.push_back(id);
      return ids.size() < limit;
    });
  }
  return ids;
}

}  // namespace usersctl::store
