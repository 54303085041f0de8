#include "store/postgres/pg_user_list_sql.hpp"

#include <vector>

#include "core/user_fields.hpp"
#include "model/errors.hpp"
#include "store/postgres/pg_rows.hpp"
#include "util/text.hpp"

namespace usersctl::store::postgres {

namespace {

std::string column_for(const std::string& field) {
  if (field == "username" || field == "uid" || field == "name" || field == "created_at" ||
      field == "updated_at" || field == "created_by" || field == "updated_by" || field == "disabled") {
    return "u." + field;
  }
  if (field == "email") return "u.email_key";
  throw InternalError("no column for field '" + field + "'");
}

template <typename Value>
std::string placeholder(UserListSql& sql, const Value& value) {
  sql.params.add(value);
  return "$" + std::to_string(sql.params.size());
}

std::string match_condition(UserListSql& sql, const model::FieldMatch& match) {
  if (const auto key = core::attr_key_of(match.field)) {
    // Containment of {"KEY": "VALUE"}: exact key and value, answered by the GIN index.
    return "u.attrs @> jsonb_build_object(" + placeholder(sql, *key) + "::text, " +
           placeholder(sql, match.value) + "::text)";
  }
  const std::string column = column_for(match.field);
  if (match.field == "uid") {
    return column + " = " + placeholder(sql, core::parse_id(match.value, "uid")) + "::bigint";
  }
  if (match.field == "disabled") {
    return column + " = " + placeholder(sql, std::int64_t{core::parse_bool(match.value, "disabled")}) +
           "::integer";
  }
  if (match.field == "email")
    return column + " = " + placeholder(sql, util::fold_case(match.value)) + "::text";
  return column + " = " + placeholder(sql, match.value) + "::text";
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
        placeholder(sql, *query.group) + "::text)");
  }
  const std::string sort_column =
      query.sort_field == "email" ? "coalesce(u.email, '')" : column_for(query.sort_field);
  const bool descending = query.order == model::SortOrder::Descending;
  if (query.after) {
    const std::string op = descending ? " < " : " > ";
    const std::string after_name = placeholder(sql, query.after->username) + "::text";
    if (query.sort_field == "username") {
      conditions.push_back("u.username" + op + after_name);
    } else {
      const std::string after_value =
          query.sort_field == "uid"
              ? placeholder(sql, core::parse_id(query.after->sort_value, "uid")) + "::bigint"
              : placeholder(sql, query.after->sort_value) + "::text";
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
  if (query.limit && *query.limit >= 0) {  // SQLite reads a negative limit as none
    sql.text += " LIMIT " + placeholder(sql, *query.limit) + "::bigint";
    sql.limited = true;
  }
  if (query.offset > 0) sql.text += " OFFSET " + placeholder(sql, query.offset) + "::bigint";
  return sql;
}

}  // namespace usersctl::store::postgres
