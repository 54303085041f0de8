#pragma once
// How long PostgreSQL may make usersctl wait: the same USERSCTL_BUSY_TIMEOUT_MS the SQLite store
// honours (default 10 s), used as lock_timeout for every transaction.

namespace usersctl::store::postgres {

int busy_timeout_ms();
// libpq's connect_timeout in whole seconds (it treats anything under 2 as 2).
int connect_timeout_seconds();

}  // namespace usersctl::store::postgres
