#pragma once
// The PostgreSQL user and group records (store::Store) on one connection, shared with the outbox:
// the one BackendStore declaration on PostgreSQL's Connection. Its members are defined in
// pg_store.cpp (users), pg_groups.cpp and pg_accounts.cpp (ids, SSH keys, settings).

#include "store/backend_store.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

using PgStore = BackendStore<Connection>;

}  // namespace usersctl::store::postgres
