#include "store/postgres/pg_search_sql.hpp"

#include <vector>

#include "util/errors.hpp"

namespace usersctl::store::postgres {

namespace {

std::vector<std::string> selected_columns(const model::SearchFields& fields) {
  std::vector<std::string> columns;
  if (fields.username) columns.emplace_back("u.username");
  if (fields.name) columns.emplace_back("u.name_key");
  if (fields.email) columns.emplace_back("u.email_key");
  if (fields.attrs) columns.emplace_back("u.attrs_key");
  return columns;
}

// %text% with LIKE's own characters escaped (the default escape is the backslash).
std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace

SearchSql build_search_sql(const model::SearchQuery& query) {
  const auto columns = selected_columns(query.fields);
  if (columns.empty()) throw UsageError("--in: no field to search");
  SearchSql sql;
  if (query.fields.username) {
    // Exact name first, then names starting with the text: a range on the username index.
    sql.username_prefix =
        "SELECT id FROM users WHERE username >= $1::text AND username < $1::text || chr(1114111) "
        "ORDER BY username = $1::text DESC, username LIMIT $2::bigint";
  }
  std::string condition;
  for (const auto& column : columns)
    condition += (condition.empty() ? "" : " OR ") + column + " LIKE $1::text";
  sql.others = "SELECT u.id FROM users u WHERE " + condition + " ORDER BY u.id LIMIT $2::bigint";
  sql.others_param = contains_pattern(query.text);
  return sql;
}

}  // namespace usersctl::store::postgres
