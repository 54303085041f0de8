#pragma once
// Turns a typed `list` query into SQL with bound parameters, once for both backends: each gives
// only how it spells placeholders and the attribute test (SqlDialect). Column names come from a
// fixed table, never from user text, so nothing typed reaches the SQL itself.

#include <cstddef>
#include <string>
#include <vector>

#include "model/user_query.hpp"

namespace usersctl::store {

enum class SqlType { Integer, Bigint, Text };

// An index of attribute rows in username order: a filter on one attribute then reads users in the
// order `list` returns them, so a LIMIT stops after that many rows whatever the share that match.
struct OrderedAttributeIndex {
  // SELECT … (the columns of SqlDialect::select) FROM the attribute rows joined to users u.
  const std::string& (*select)();
  // The condition "the attribute row has KEY = VALUE", given the two placeholders.
  std::string (*match)(const std::string& key, const std::string& value);
  // The attribute row's copy of u.username, what the rows are ordered and paged by.
  const char* username;
};

struct SqlDialect {
  // The placeholder for parameter `number` (1-based) of `type`: "?1" or "$1::bigint".
  std::string (*placeholder)(std::size_t number, SqlType type);
  // The condition "the user u has attribute KEY = VALUE", given the two placeholders.
  std::string (*attribute_match)(const std::string& key, const std::string& value);
  // SELECT … FROM users u: the columns the backend's row reader expects.
  const std::string& (*select)();
  // SQLite accepts OFFSET only after a LIMIT (-1 meaning none).
  bool offset_needs_limit;
  // When set, a username-ordered list with an attribute filter is driven by this index.
  const OrderedAttributeIndex* attribute_index = nullptr;
};

struct UserListSql {
  std::string text;
  std::vector<model::FieldValue> params;
  bool limited = false;  // a LIMIT applies (small results need no cursor)
};

UserListSql build_user_list_sql(const model::UserQuery& query, const SqlDialect& dialect);

}  // namespace usersctl::store
