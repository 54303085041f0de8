#include "store/user_list_sql.hpp"

#include <variant>

#include "util/errors.hpp"

namespace usersctl::store {

namespace {

using model::UserField;

std::string column_for(UserField field) {
  if (field == UserField::Email) return "u.email_key";  // filters compare the folded email
  return std::string("u.") + model::user_field_name(field);
}

std::string sort_column_for(UserField field) {
  return field == UserField::Email ? "coalesce(u.email, '')" : column_for(field);
}

SqlType type_of(UserField field) {
  if (field == UserField::Uid) return SqlType::Bigint;
  if (field == UserField::Disabled) return SqlType::Integer;
  return SqlType::Text;
}

class Builder {
 public:
  Builder(const model::UserQuery& query, const SqlDialect& dialect) : query_(query), dialect_(dialect) {}

  UserListSql build() {
    const model::FieldMatch* driver = driving_match();
    if (driver) username_ = dialect_.attribute_index->username;
    conditions_.emplace_back("u.deleted_at IS NULL");  // the recycle bin is not listed
    for (const auto& match : query_.where) {
      conditions_.push_back(&match == driver ? driving_condition(match) : match_condition(match));
    }
    if (query_.group) {
      conditions_.push_back(
          "u.id IN (SELECT m.user_id FROM memberships m JOIN usergroups g ON g.id = m.group_id WHERE g.name "
          "= " +
          bind(*query_.group, SqlType::Text) + ")");
    }
    if (query_.after) conditions_.push_back(after_condition(*query_.after));
    if (query_.enabled == model::EnabledFilter::EnabledOnly) conditions_.emplace_back("u.disabled = 0");
    if (query_.enabled == model::EnabledFilter::DisabledOnly) conditions_.emplace_back("u.disabled = 1");
    sql_.text = driver ? dialect_.attribute_index->select() : dialect_.select();
    for (std::size_t i = 0; i < conditions_.size(); ++i)
      sql_.text += (i == 0 ? " WHERE " : " AND ") + conditions_[i];
    append_order_and_page();
    return std::move(sql_);
  }

 private:
  std::string bind(const std::string& value, SqlType type) {
    sql_.params.emplace_back(std::in_place_type<std::string>, value);
    return dialect_.placeholder(sql_.params.size(), type);
  }
  std::string bind(std::int64_t value, SqlType type) {
    sql_.params.emplace_back(std::in_place_type<std::int64_t>, value);
    return dialect_.placeholder(sql_.params.size(), type);
  }
  std::string bind(const model::FieldValue& value, SqlType type) {
    return std::visit([&](const auto& v) { return bind(v, type); }, value);
  }

  // The attribute filter that drives the rows (the first), when the dialect has an index for it
  // and the rows are ordered by username; nullptr otherwise.
  const model::FieldMatch* driving_match() const {
    if (!dialect_.attribute_index || query_.sort != UserField::Username) return nullptr;
    for (const auto& match : query_.where) {
      if (!match.field) return &match;
    }
    return nullptr;
  }

  std::string driving_condition(const model::FieldMatch& match) {
    const std::string key = bind(match.attr_key, SqlType::Text);
    return dialect_.attribute_index->match(key, bind(match.value, SqlType::Text));
  }

  std::string match_condition(const model::FieldMatch& match) {
    if (!match.field) {
      const std::string key = bind(match.attr_key, SqlType::Text);
      return dialect_.attribute_match(key, bind(match.value, SqlType::Text));
    }
    return column_for(*match.field) + " = " + bind(match.value, type_of(*match.field));
  }

  // After the row (sort value, username): keyset paging, ties broken by username.
  std::string after_condition(const model::KeysetPosition& after) {
    const std::string op = descending() ? " < " : " > ";
    const std::string name = bind(after.username, SqlType::Text);
    if (query_.sort == UserField::Username) return username_ + op + name;
    const std::string column = sort_column_for(query_.sort);
    const std::string value = bind(after.sort_value, type_of(query_.sort));
    return "(" + column + op + value + " OR (" + column + " = " + value + " AND u.username" + op + name +
           "))";
  }

  void append_order_and_page() {
    const std::string direction = descending() ? " DESC" : "";
    const bool by_name = query_.sort == UserField::Username;
    sql_.text += " ORDER BY " + (by_name ? username_ : sort_column_for(query_.sort)) + direction;
    if (query_.sort != UserField::Username) sql_.text += ", u.username" + direction;
    if (query_.limit) {
      sql_.text += " LIMIT " + bind(*query_.limit, SqlType::Bigint);
      sql_.limited = true;
    } else if (query_.offset > 0 && dialect_.offset_needs_limit) {
      sql_.text += " LIMIT -1";
    }
    if (query_.offset > 0) sql_.text += " OFFSET " + bind(query_.offset, SqlType::Bigint);
  }

  bool descending() const { return query_.order == model::SortOrder::Descending; }

  const model::UserQuery& query_;
  const SqlDialect& dialect_;
  UserListSql sql_;
  std::vector<std::string> conditions_;
  std::string username_ = "u.username";  // the column rows are ordered by when sorted by username
};

}  // namespace

UserListSql build_user_list_sql(const model::UserQuery& query, const SqlDialect& dialect) {
  return Builder(query, dialect).build();
}

}  // namespace usersctl::store
