#pragma once
// How long a backend may make usersctl wait for a lock: USERSCTL_BUSY_TIMEOUT_MS (tests shorten
// it, admins lengthen it for long imports by others; 0 to 3600000), default 10 s. SQLite uses it
// as its busy timeout, PostgreSQL as lock_timeout.

namespace usersctl::store {

int busy_timeout_ms();

}  // namespace usersctl::store
