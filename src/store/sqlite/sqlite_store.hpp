#pragma once
// The SQLite user and group records (store::Store) on one connection, shared with the outbox: the
// one BackendStore declaration on SQLite's Connection. Its members are defined in sqlite_store.cpp
// (users), sqlite_groups.cpp, sqlite_accounts.cpp (ids, SSH keys, settings) and
// sqlite_user_bulk.cpp (bulk inserts); below, the row writes those files share.

#include <cstdint>
#include <optional>
#include <string>

#include "store/backend_store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

using SqliteStore = BackendStore<Connection>;

// The INSERT of one users row without id, its parameters as bind_user_row() binds them from 1.
Statement& single_user_insert(Connection& db);
// Every column of a users row but id (username … shell, attrs_text) as parameters `first + 1` on.
void bind_user_row(Statement& stmt, int first, const model::User& user,
                   const std::optional<std::string>& hash);
std::string attrs_text(const model::Attributes& attrs);
// The attribute rows of a user, each with the user's name (the order `list --where` reads them in).
void insert_attrs(Connection& db, std::int64_t user_id, const std::string& username,
                  const model::Attributes& attrs);
// The one integer a SELECT count(*) … returns.
std::int64_t count_rows(Connection& db, const char* sql);

}  // namespace usersctl::store::sqlite
