#include "store/connection_profile.hpp"

#include <sqlite3.h>

#include <atomic>

namespace usersctl::store {
namespace {
std::atomic<bool> lookup_profile{false};
}  // namespace

void use_lookup_connections() {
  lookup_profile = true;
  // Only before SQLite's first use (SQLITE_MISUSE after): hence "before any is opened".
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

bool lookup_connections() { return lookup_profile; }

}  // namespace usersctl::store
