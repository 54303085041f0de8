#pragma once
// The PostgreSQL user and group records (store::Store) on a connection the Database owns and shares
// with its Outbox.

#include <memory>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace usersctl::store::postgres {

std::unique_ptr<Store> make_pg_store(Connection& db);

}  // namespace usersctl::store::postgres
