#include "store/sqlite/user_list_sql.hpp"

#include "core/user_fields.hpp"
#include "model/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "util/text.hpp"

namespace usersctl::store::sqlite {

namespace {

std::string column_for(const std::string& field) {
  if (field == "username" || field == "uid" || field == "name" || field == "created_at" ||
      field == "updated_at" || field == "created_by" || field == "updated_by" || field == "disabled") {
    return "u." + field;
  }
  if (field == "email") return "u.email_key";
  throw InternalError("no column for field '" + field + "'");
}

std::string placeholder(UserListSql& sql, SqlParam value) {
  sql.params.push_back(std::move(value));
  return "?" + std::to_string(sql.params.size());
}

std::string match_condition(UserListSql& sql, const model::FieldMatch& match) {
  if (const auto key = core::attr_key_of(match.field)) {
    return "u.id IN (SELECT a.user_id FROM user_attrs a WHERE a.key = " + placeholder(sql, *key) +
           " AND a.value = " + placeholder(sql, match.value) + ")";
  }
  const std::string column = column_for(match.field);
  if (match.field == "uid") return column + " = " + placeholder(sql, core::parse_id(match.value, "uid"));
  if (match.field == "disabled") {
    return column + " = " + placeholder(sql, std::int64_t{core::parse_bool(match.value, "disabled")});
  }
  if (match.field == "email") return column + " = " + placeholder(sql, util::fold_case(match.value));
  return column + " = " + placeholder(sql, match.value);
}

}  // namespace

UserListSql build_user_list_sql(const model::UserQuery& query) {
  UserListSql sql;
  std::vector<std::string> conditions;
  for (const auto& match : query.where) conditions.push_back(match_condition(sql, match));
  if (query.group) {
    conditions.push_back(
        "u.id IN (SELECT m.user_id FROM memberships m JOIN usergroups g ON g.id = m.group_id WHERE g.name "
        "= " +
        placeholder(sql, *query.group) + ")");
  }
  const std::string sort_column =
      query.sort_field == "email" ? "coalesce(u.email, '')" : column_for(query.sort_field);
  const bool descending = query.order == model::SortOrder::Descending;
  if (query.after) {
    const std::string op = descending ? " < " : " > ";
    const std::string after_name = placeholder(sql, query.after->username);
    if (query.sort_field == "username") {
      conditions.push_back("u.username" + op + after_name);
    } else {
      const SqlParam value = query.sort_field == "uid"
                                 ? SqlParam(core::parse_id(query.after->sort_value, "uid"))
                                 : SqlParam(query.after->sort_value);
      const std::string after_value = placeholder(sql, value);
      conditions.push_back("(" + sort_column + op + after_value + " OR (" + sort_column + " = " +
                           after_value + " AND u.username" + op + after_name + "))");
    }
  }
  if (query.enabled == model::EnabledFilter::EnabledOnly) conditions.emplace_back("u.disabled = 0");
  if (query.enabled == model::EnabledFilter::DisabledOnly) conditions.emplace_back("u.disabled = 1");

  sql.text = user_select_sql();
  for (std::size_t i = 0; i < conditions.size(); ++i)
    sql.text += (i == 0 ? " WHERE " : " AND ") + conditions[i];

  const std::string direction = descending ? " DESC" : "";
  sql.text += " ORDER BY " + sort_column + direction;
  if (query.sort_field != "username") sql.text += ", u.username" + direction;
  if (query.limit || query.offset > 0) {
    sql.text += " LIMIT " + placeholder(sql, query.limit.value_or(-1));
    sql.text += " OFFSET " + placeholder(sql, query.offset);
  }
  return sql;
}

}  // namespace usersctl::store::sqlite
