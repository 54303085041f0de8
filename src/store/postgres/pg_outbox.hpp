#pragma once
// The PostgreSQL side of the outbox: events, hooks, deliveries. One of the two faces of a
// PgDatabase: the one BackendOutbox declaration on PostgreSQL's Connection, defined in
// pg_outbox.cpp.

#include "store/backend_outbox.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

using PgOutbox = BackendOutbox<Connection>;

}  // namespace usersctl::store::postgres
