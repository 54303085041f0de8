#pragma once
// Numbered schema migrations for PostgreSQL. Migration N (1-based) takes a database from schema
// version N-1 to N; they only ever get appended. The version lives in the one-row table
// usersctl_schema (kSchemaTableSql creates it).

#include <span>

namespace usersctl::store::postgres {

extern const char* const kSchemaTableSql;
std::span<const char* const> migrations();

}  // namespace usersctl::store::postgres
