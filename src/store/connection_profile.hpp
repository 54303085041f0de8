#pragma once
// How this process uses its database connections; chosen once at start, before any is opened.

namespace usersctl::store {

// For a process that keeps many connections open for small lookups (the userdb service, one
// SQLite connection per worker): each connection gets a small page cache instead of the 32 MiB a
// bulk load wants -- that many times the workers would be hundreds of MiB at a million users, and
// the OS page cache holds the file's hot pages anyway -- and SQLite keeps no memory statistics,
// which take a process-wide mutex on every allocation of every thread.
void use_lookup_connections();
bool lookup_connections();

}  // namespace usersctl::store
