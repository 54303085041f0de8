#include "store/postgres/pg_timeouts.hpp"

#include "store/busy_timeout.hpp"

namespace usersctl::store::postgres {

int connect_timeout_seconds() {
  const int seconds = (busy_timeout_ms() + 999) / 1000;
  return seconds < 2 ? 2 : seconds;
}

}  // namespace usersctl::store::postgres
