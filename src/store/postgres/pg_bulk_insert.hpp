#pragma once
// The fast path of Store::insert_users for PostgreSQL. A small batch: uniqueness checked up front
// (so the first offending row is known without a failed statement), then a few thousand rows an
// INSERT. A large one (pg_bulk_copy.hpp): by COPY under a savepoint, checked only when refused.

#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace usersctl::store::postgres {

// Inserts `rows` in order with attributes, hashes and memberships, setting each user.id. Throws
// RowConflict naming the first row whose username, uid or email key is taken (by the database or
// an earlier row), with the message the SQLite store gives, once the rows before it are written.
void insert_user_rows(Connection& db, std::vector<NewUserRow>& rows);

}  // namespace usersctl::store::postgres
