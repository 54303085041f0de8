#pragma once
// Turns a `list` query into SQL with bound parameters. Field names come from a fixed
// table, never from user text, so nothing typed reaches the SQL itself.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/user_query.hpp"

namespace usersctl::store::sqlite {

using SqlParam = std::variant<std::int64_t, std::string>;

struct UserListSql {
  std::string text;
  std::vector<SqlParam> params;
};

UserListSql build_user_list_sql(const model::UserQuery& query);

}  // namespace usersctl::store::sqlite
