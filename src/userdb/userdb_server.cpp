#include "userdb/userdb_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "util/errors.hpp"

namespace usersctl::userdb {
ListenSocket open_listen_socket(const ServeOptions& options) {
  if (options.use_listen_fds) {
    ListenSocket activated = take_activated_socket();
    if (activated.fd) return activated;
  }
  return bind_listen_socket(options.socket_path);
}

UserdbServer::UserdbServer(const ServeOptions& options, AccountSource& source)
    : UserdbServer(options, open_listen_socket(options), source) {}

UserdbServer::UserdbServer(const ServeOptions& options, ListenSocket socket, AccountSource& source)
    : options_(options),
      socket_(std::move(socket)),
      service_(service_name_of(socket_.path)),
      host_(options.passwd_path, options.group_path) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    remove_socket_file(socket_);
    throw Unavailable(std::string("pipe: ") + std::strerror(errno));
  }
  stop_read_.reset(pipe_fds[0]);
  stop_write_.reset(pipe_fds[1]);
  AccountSource* served = &source;
  if (options.hide_host_accounts) {
    filtered_ = std::make_unique<HostFilteredSource>(source, host_);
    served = filtered_.get();
  }
  pool_ = std::make_unique<CallPool>(*served, options.workers, options.queue_limit);
}

UserdbServer::~UserdbServer() {
  stop();
  std::unique_lock lock(mutex_);
  connection_ended_.wait(lock, [&] { return connections_ == 0; });
  lock.unlock();
  pool_.reset();
  remove_socket_file(socket_);
}

// The pipe is never drained: once written it stays readable, and every poll() sees the stop.
void UserdbServer::stop() noexcept {
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(stop_write_.get(), &byte, 1);
}

void UserdbServer::run() {
  for (;;) {
    if (!wait_for_connection_slot()) break;
    pollfd fds[2] = {{socket_.fd.get(), POLLIN, 0}, {stop_read_.get(), POLLIN, 0}};
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[1].revents != 0) break;
    if (fds[0].revents & POLLIN) accept_one();
  }
  // New clients now fail to connect instead of waiting in a backlog nobody reads.
  remove_socket_file(socket_);
  socket_.fd.reset();
  std::unique_lock lock(mutex_);
  connection_ended_.wait(lock, [&] { return connections_ == 0; });
}

// At the cap, further clients stay in the kernel's backlog (SOMAXCONN) until a connection ends:
// they are answered late rather than refused. False once stop() was called.
bool UserdbServer::wait_for_connection_slot() {
  for (;;) {
    pollfd stop{stop_read_.get(), POLLIN, 0};
    if (::poll(&stop, 1, 0) != 0) return false;
    std::unique_lock lock(mutex_);
    if (connection_ended_.wait_for(lock, std::chrono::milliseconds(100),
                                   [&] { return connections_ < options_.max_connections; }))
      return true;
  }
}

void UserdbServer::accept_one() {
  UniqueFd fd(::accept4(socket_.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!fd) {
    // Out of descriptors or memory: the backlog stays readable, so back off instead of spinning.
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return;  // otherwise the client gave up already
  }
  CallContext context{service_, peer_uid_of(fd.get())};
  if (!admit(context.peer_uid)) return;  // closing tells the client at once; nss moves on
  try {
    std::thread([this, client = std::move(fd), context]() mutable {
      connection_thread(std::move(client), std::move(context));
    }).detach();
  } catch (const std::system_error&) {
    release(context.peer_uid);  // no thread to spare: this client is dropped, the next may fare better
  }
}

bool UserdbServer::admit(const std::optional<std::uint32_t>& uid) {
  std::lock_guard lock(mutex_);
  if (uid != 0u) {
    // An unknown peer counts against the nobody-in-particular slot of uid -1.
    unsigned& count = connections_per_uid_[uid.value_or(UINT32_MAX)];
    if (count >= options_.max_connections_per_uid) return false;
    ++count;
  }
  ++connections_;
  return true;
}

void UserdbServer::release(const std::optional<std::uint32_t>& uid) {
  std::lock_guard lock(mutex_);
  if (uid != 0u) {
    const auto it = connections_per_uid_.find(uid.value_or(UINT32_MAX));
    if (it != connections_per_uid_.end() && --it->second == 0) connections_per_uid_.erase(it);
  }
  --connections_;
  connection_ended_.notify_all();
}

void UserdbServer::connection_thread(UniqueFd fd, CallContext context) {
  serve_connection(fd.get(), stop_read_.get(), *pool_, context, options_.limits);
  fd.reset();
  release(context.peer_uid);
}

}  // namespace usersctl::userdb
