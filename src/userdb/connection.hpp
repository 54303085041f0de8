#pragma once
// One client connection: reads NUL-terminated calls one after another, has each answered by the
// CallPool, and writes the replies back in order.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "userdb/call_pool.hpp"

namespace usersctl::userdb {

struct ConnectionLimits {
  // A call gets this long for its first reply, and a stream this long between replies;
  // then the caller is told ServiceNotAvailable.
  std::chrono::milliseconds request_timeout{2000};
  // A connection with no call in progress is closed after this long.
  std::chrono::milliseconds idle_timeout{10000};
  // A peer that does not read its replies for this long is dropped.
  std::chrono::milliseconds send_timeout{5000};
};

// The connected peer's uid (SO_PEERCRED), if the kernel tells.
std::optional<std::uint32_t> peer_uid_of(int fd);

// Serves `fd` until the peer closes, breaks the protocol, idles out, or `stop_fd` becomes
// readable. Closes nothing: the caller owns both descriptors.
void serve_connection(int fd, int stop_fd, CallPool& pool, const CallContext& context,
                      const ConnectionLimits& limits);

}  // namespace usersctl::userdb
