#pragma once
// Turns a `list` query into PostgreSQL SQL with bound parameters, the same filters, order and
// paging as the SQLite store's. Field names come from a fixed table, never from user text.

#include <string>

#include "model/user_query.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

struct UserListSql {
  std::string text;
  Params params;
  bool limited = false;  // a LIMIT applies (small results need no cursor)
};

UserListSql build_user_list_sql(const model::UserQuery& query);

}  // namespace usersctl::store::postgres
