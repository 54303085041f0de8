#pragma once
// How long PostgreSQL may make usersctl wait: store::busy_timeout_ms() as lock_timeout for every
// transaction, and as the connect timeout.

namespace usersctl::store::postgres {

// libpq's connect_timeout in whole seconds (it treats anything under 2 as 2).
int connect_timeout_seconds();

}  // namespace usersctl::store::postgres
