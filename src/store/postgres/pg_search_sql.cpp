#include "store/postgres/pg_search_sql.hpp"

#include <vector>

namespace usersctl::store::postgres {

namespace {

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
  const auto columns =
      search_columns(query.fields, {"u.username", "u.name_key", "u.email_key", "u.attrs_key"});
  SearchSql sql;
  sql.username_prefix = username_prefix_sql(query.fields, "$1::text", "$2::bigint", "chr(1114111)");
  std::string condition;
  for (const auto& column : columns)
    condition += (condition.empty() ? "" : " OR ") + column + " LIKE $1::text";
  // Binned users (the recycle bin) still match; they must not take a live match's place in the page.
  sql.others = "SELECT u.id FROM users u WHERE (" + condition +
               ") AND u.deleted_at IS NULL ORDER BY u.id LIMIT $2::bigint";
  sql.others_param = contains_pattern(query.text);
  return sql;
}

}  // namespace usersctl::store::postgres
