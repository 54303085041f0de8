#include "userdb/userdb_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/errors.hpp"

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
  {
    std::lock_guard lock(mutex_);
    ++connections_;
  }
  try {
    std::thread([this, client = std::move(fd)]() mutable { connection_thread(std::move(client)); }).detach();
  } catch (const std::system_error&) {
    std::lock_guard lock(mutex_);
    --connections_;  // no thread to spare: this client is dropped, the next may fare better
  }
}

void UserdbServer::connection_thread(UniqueFd fd) {
  serve_connection(fd.get(), stop_read_.get(), *pool_, service_, options_.limits);
  fd.reset();
  std::lock_guard lock(mutex_);
  --connections_;
  connection_ended_.notify_all();
}

}  // namespace usersctl::userdb
