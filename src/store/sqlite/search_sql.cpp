#include "store/sqlite/search_sql.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace usersctl::store::sqlite {

namespace {

void fold_function(sqlite3_context* context, int, sqlite3_value** args) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  if (text == nullptr) {
    sqlite3_result_null(context);
    return;
  }
  const std::string folded = core::fold_case({text, static_cast<std::size_t>(sqlite3_value_bytes(args[0]))});
  sqlite3_result_text(context, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

std::vector<std::string> selected_columns(const core::SearchFields& fields) {
  std::vector<std::string> columns;
  if (fields.username) columns.emplace_back("username");
  if (fields.name) columns.emplace_back("name");
  if (fields.email) columns.emplace_back("email");
  if (fields.attrs) columns.emplace_back("attrs");
  return columns;
}

std::string any_of(const std::vector<std::string>& conditions) {
  std::string out;
  for (const auto& condition : conditions) out += (out.empty() ? "(" : " OR ") + condition;
  return out + ")";
}

// A phrase for MATCH: the text in double quotes (doubled inside), limited to the columns.
std::string match_expression(const std::string& text, const std::vector<std::string>& columns) {
  std::string phrase = "\"";
  for (char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
  phrase += "\"";
  std::string filter = "{";
  for (const auto& column : columns) filter += (filter.size() > 1 ? " " : "") + column;
  return filter + "} : " + phrase;
}

}  // namespace

void register_fold_function(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function_v2(db, "usersctl_fold", 1, flags, nullptr, fold_function, nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    throw InternalError(std::string("cannot register usersctl_fold: ") + sqlite3_errmsg(db));
  }
}

UserListSql build_search_sql(const core::SearchQuery& query) {
  const auto columns = selected_columns(query.fields);
  if (columns.empty()) throw UsageError("--in: no field to search");
  UserListSql sql;
  sql.params = {query.text, query.limit};  // ?1 text, ?2 limit
  std::vector<std::string> contains;
  std::vector<std::string> prefixes;
  for (const auto& column : columns) {
    const std::string folded = "usersctl_fold(s." + column + ")";
    contains.push_back("instr(" + folded + ", ?1) > 0");
    if (column == "username") continue;
    prefixes.push_back("instr(" + folded + ", ?1) = 1");
    // Each attribute value starts after a newline.
    if (column == "attrs") prefixes.push_back("instr(" + folded + ", char(10) || ?1) > 0");
  }
  const std::string rank = "CASE WHEN s.username = ?1 THEN 0 WHEN instr(s.username, ?1) = 1 THEN 1" +
                           (prefixes.empty() ? std::string() : " WHEN " + any_of(prefixes) + " THEN 2") +
                           " ELSE 3 END";
  std::string where = any_of(contains);
  if (core::utf8_length(query.text) >= 3) {
    sql.params.emplace_back(match_expression(query.text, columns));
    where = "user_search MATCH ?3 AND " + where;
  }
  sql.text = "WITH hits AS (SELECT s.rowid AS id, " + rank + " AS rank, s.username AS username FROM user_search s WHERE " +
             where + " ORDER BY rank, username LIMIT ?2) " + user_select_sql() +
             " JOIN hits h ON h.id = u.id ORDER BY h.rank, h.username";
  return sql;
}

}  // namespace usersctl::store::sqlite
