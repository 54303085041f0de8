#pragma once
// The SQLite user and group records (store::Store) on a connection the Database owns and shares
// with its Outbox.

#include <memory>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace usersctl::store::sqlite {

std::unique_ptr<Store> make_sqlite_store(Connection& db);

}  // namespace usersctl::store::sqlite
