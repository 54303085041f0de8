#pragma once
// The SQL of `list` on SQLite: the shared builder (user_list_sql.hpp) with SQLite's dialect. Its
// own header so tests can check the plan SQLite makes of it (an index in list order, no sort).

#include "store/user_list_sql.hpp"

namespace usersctl::store::sqlite {

UserListSql user_list_sql(const model::UserQuery& query);

}  // namespace usersctl::store::sqlite
