#pragma once
// The SQLite side of the outbox: events, hooks, deliveries. One of the two faces of a
// SqliteDatabase: the one BackendOutbox declaration on SQLite's Connection, defined in
// sqlite_outbox.cpp.

#include "store/backend_outbox.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

using SqliteOutbox = BackendOutbox<Connection>;

}  // namespace usersctl::store::sqlite
