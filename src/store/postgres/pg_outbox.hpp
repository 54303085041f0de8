#pragma once
// The PostgreSQL outbox (store::Outbox: events, hooks, deliveries) on a connection the Database owns
// and shares with its Store.

#include <memory>

#include "store/outbox.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

std::unique_ptr<Outbox> make_pg_outbox(Connection& db);

}  // namespace usersctl::store::postgres
