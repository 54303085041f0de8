#include "store/sqlite/search_sql.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_rows.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::store::sqlite {

namespace {

std::string_view text_arg(sqlite3_value* value) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(value)))
              : std::string_view();
}

// usersctl_search_match(folded_query, username, name, email, attrs): whether any of the
// given fields (NULL when not searched) contains the query once case-folded. Used only
// for queries too short for the trigram index, where rows come from a scan.
void match_function(sqlite3_context* context, int argc, sqlite3_value** args) {
  const std::string_view query = text_arg(args[0]);
  bool found = false;
  for (int i = 1; i < argc && !found; ++i) {
    if (sqlite3_value_type(args[i]) != SQLITE_NULL) found = util::folded_contains(text_arg(args[i]), query);
  }
  sqlite3_result_int(context, found ? 1 : 0);
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

void register_search_functions(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  const bool ok = sqlite3_create_function_v2(db, "usersctl_search_match", 5, flags, nullptr, match_function,
                                             nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok) throw InternalError(std::string("cannot register search functions: ") + sqlite3_errmsg(db));
}

// The index keeps rows of binned users (the recycle bin): they must not take a live match's
// place in the page. One primary-key probe per match, as the tier reads.
constexpr const char* kLiveRow =
    " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = user_search.rowid AND u.deleted_at IS NOT NULL)";

// Enough rows for the page (search_user_ids passes the page plus what the first tier found).
constexpr const char* kLimit = " LIMIT ?2";

SearchSql build_search_sql(const model::SearchQuery& query) {
  const auto columns = search_columns(query.fields, {"username", "name", "email", "attrs"});
  SearchSql sql;
  sql.username_prefix = username_prefix_sql(query.fields, "?1", "?2", "char(1114111)");
  if (util::utf8_length(query.text) >= 3) {
    sql.others = std::string("SELECT rowid FROM user_search WHERE user_search MATCH ?1") + kLiveRow + kLimit;
    sql.others_param = match_expression(query.text, columns);
  } else {
    const auto field = [&](bool searched, const char* column) {
      return searched ? std::string(column) : std::string("NULL");
    };
    sql.others = "SELECT rowid FROM user_search WHERE usersctl_search_match(?1, " +
                 field(query.fields.username, "username") + ", " + field(query.fields.name, "name") + ", " +
                 field(query.fields.email, "email") + ", " + field(query.fields.attrs, "attrs") + ")" +
                 kLiveRow + kLimit;
    sql.others_param = query.text;
  }
  return sql;
}

}  // namespace usersctl::store::sqlite
