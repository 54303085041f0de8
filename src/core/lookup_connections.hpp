#pragma once
// For a front end that serves lookups for a long time on many connections (the userdb service):
// small per-connection caches, so its memory stays flat whatever the directory size. Call once,
// before the first core::Services is made.

namespace usersctl::core {

void use_lookup_connections();

}  // namespace usersctl::core
