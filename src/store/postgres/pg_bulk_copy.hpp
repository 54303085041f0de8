#pragma once
// The COPY half of the PostgreSQL bulk insert (pg_bulk_insert.cpp): a large load's users and
// memberships in COPY's text format, and the size from which a load takes this path.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace usersctl::store::postgres {

// Loads of at least this many rows (and event batches of this many) go by COPY; smaller ones by
// INSERT, one round trip fewer. The hidden USERSCTL_PG_COPY_ROWS overrides it (tests compare
// both paths on the same rows).
std::size_t copy_min_rows();

// rows[start, end) with their memberships, each table in one COPY; user.id already set.
void copy_user_rows(Connection& db, const std::vector<NewUserRow>& rows, std::size_t start, std::size_t end,
                    const std::vector<std::optional<std::string>>& email_keys);

}  // namespace usersctl::store::postgres
