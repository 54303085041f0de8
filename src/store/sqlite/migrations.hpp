#pragma once
// Numbered schema migrations for SQLite. Migration N (1-based) takes a database from
// PRAGMA user_version N-1 to N; they only ever get appended.

#include <span>

namespace usersctl::store::sqlite {

std::span<const char* const> migrations();

}  // namespace usersctl::store::sqlite
