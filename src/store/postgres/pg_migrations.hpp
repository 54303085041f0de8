#pragma once
// Numbered schema migrations for PostgreSQL. Migration N (1-based) takes a database from schema
// version N-1 to N; they only ever get appended. The version lives in the one-row table
// usersctl_schema (kSchemaTableSql creates it).

#include <span>

namespace usersctl::store::postgres {

extern const char* const kSchemaTableSql;
std::span<const char* const> migrations();

class Connection;
// The part of the migrations from `from_version` that SQL cannot do: migration 4 moves attributes
// out of attrs, and attrs_key is a C++ fold (util::fold_case) of what remains. In the migration's
// transaction.
void after_migrations(Connection& db, int from_version);

}  // namespace usersctl::store::postgres
