#include "userdb/connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>

#include "userdb/userdb_errors.hpp"
#include "userdb/varlink_message.hpp"

namespace usersctl::userdb {
namespace {

using Clock = std::chrono::steady_clock;

// MSG_NOSIGNAL: a client that hung up must cost an EPIPE, not the process (SIGPIPE is ignored
// too, but only serve() can promise that).
bool send_all(int fd, const std::string& message, std::chrono::milliseconds timeout) {
  std::size_t sent = 0;
  while (sent < message.size()) {
    const ssize_t n = ::send(fd, message.data() + sent, message.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd out{fd, POLLOUT, 0};
      if (::poll(&out, 1, static_cast<int>(timeout.count())) > 0) continue;
    }
    return false;
  }
  return true;
}

// Relays one call's replies; false when the connection is no longer usable.
bool answer(int fd, Request request, const CallContext& context, CallPool& pool,
            const ConnectionLimits& limits) {
  // Without `more` there is one reply: the worker sends it itself when it can.
  auto channel = pool.submit(std::move(request), context, fd);
  if (!channel) return send_all(fd, format_error(errors::kServiceNotAvailable), limits.send_timeout);
  std::string message;
  for (;;) {
    switch (channel->pop(message, Clock::now() + limits.request_timeout)) {
      case CallChannel::Status::Message:
        if (!send_all(fd, message, limits.send_timeout)) {
          channel->abandon();
          return false;
        }
        break;
      case CallChannel::Status::Closed:
        return true;
      case CallChannel::Status::TimedOut:
        channel->abandon();
        return send_all(fd, format_error(errors::kServiceNotAvailable), limits.send_timeout);
    }
  }
}

enum class Wait { Readable, Stop, Idle };

Wait wait_readable(int fd, int stop_fd, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, static_cast<int>(timeout.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Wait::Idle;
    if (n < 0 || fds[1].revents != 0) return Wait::Stop;
    return Wait::Readable;
  }
}

// Answers every complete call in the reader; false to close the connection.
bool answer_pending(int fd, MessageReader& reader, const CallContext& context, CallPool& pool,
                    const ConnectionLimits& limits) {
  std::string text;
  while (reader.next(text)) {
    Request request = parse_request(text);
    if (request.oneway) continue;  // lookups only: a call nobody waits for needs no work
    if (!answer(fd, std::move(request), context, pool, limits)) return false;
  }
  return true;
}

}  // namespace

std::optional<std::uint32_t> peer_uid_of(int fd) {
  ucred credentials{};
  socklen_t length = sizeof(credentials);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return std::nullopt;
  return credentials.uid;
}

void serve_connection(int fd, int stop_fd, CallPool& pool, const CallContext& context,
                      const ConnectionLimits& limits) {
  MessageReader reader;
  char buffer[4096];
  try {
    for (;;) {
      if (wait_readable(fd, stop_fd, limits.idle_timeout) != Wait::Readable) return;
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return;
      reader.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      if (!answer_pending(fd, reader, context, pool, limits)) return;
    }
  } catch (const ProtocolError&) {
    // Varlink: a peer that breaks the protocol gets the connection closed, no reply.
  }
}

}  // namespace usersctl::userdb
