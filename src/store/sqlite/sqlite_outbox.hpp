#pragma once
// The SQLite outbox (store::Outbox: events, hooks, deliveries) on a connection the Database owns
// and shares with its Store.

#include <memory>

#include "store/outbox.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

std::unique_ptr<Outbox> make_sqlite_outbox(Connection& db);

}  // namespace usersctl::store::sqlite
