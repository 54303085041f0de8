#pragma once
// usersctl as the host's user database: the io.systemd.UserDatabase Varlink service that
// nss-systemd (`passwd: files systemd`) asks through /run/systemd/userdb/.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "userdb/account.hpp"
#include "userdb/connection.hpp"
#include "userdb/host_accounts.hpp"
#include "userdb/host_filtered_source.hpp"
#include "userdb/listen_socket.hpp"

namespace usersctl::userdb {

struct ServeOptions {
  std::string socket_path = kDefaultSocketPath;  // its file name is the service name
  bool use_listen_fds = true;  // take the socket systemd passes (LISTEN_FDS), if any, instead
  ConnectionLimits limits;
  unsigned workers = 16;           // threads calling the AccountSource
  std::size_t queue_limit = 1024;  // calls waiting for a worker before callers are refused
  unsigned max_connections = 512;  // beyond this, clients wait in the listen backlog
  // Connections one non-root uid may hold open; more are closed at once, so that one user's
  // flood of idle connections cannot take the slots logins and root's lookups need.
  unsigned max_connections_per_uid = 128;
  bool hide_host_accounts = true;  // withhold records colliding with the files below
  std::string passwd_path = "/etc/passwd";
  std::string group_path = "/etc/group";
};

// Listens and answers until stop(). Threads: one accept loop (run()), one thread per open
// connection (at most max_connections) and the fixed worker pool; memory stays flat because
// enumerations stream through a bounded channel and each connection buffers one 64 KiB message
// at most.
class UserdbServer {
 public:
  // Opens the socket per `options` (open_listen_socket) or takes the one given.
  UserdbServer(const ServeOptions& options, AccountSource& source);
  UserdbServer(const ServeOptions& options, ListenSocket socket, AccountSource& source);
  ~UserdbServer();
  UserdbServer(const UserdbServer&) = delete;
  UserdbServer& operator=(const UserdbServer&) = delete;

  const std::string& service_name() const { return service_; }
  const std::string& socket_path() const { return socket_.path; }

  // Accepts until stop(), then waits for open connections to finish their current call and
  // removes the socket file (unless systemd passed it).
  void run();
  // Async-signal-safe: callable from a signal handler or any thread, before or during run().
  void stop() noexcept;

 private:
  bool wait_for_connection_slot();
  void accept_one();
  bool admit(const std::optional<std::uint32_t>& uid);
  void connection_thread(UniqueFd fd, CallContext context);
  void release(const std::optional<std::uint32_t>& uid);

  ServeOptions options_;
  ListenSocket socket_;
  std::string service_;
  HostAccounts host_;
  std::unique_ptr<HostFilteredSource> filtered_;
  UniqueFd stop_read_, stop_write_;
  std::unique_ptr<CallPool> pool_;
  std::mutex mutex_;
  std::condition_variable connection_ended_;
  unsigned connections_ = 0;
  std::map<std::uint32_t, unsigned> connections_per_uid_;  // non-root peers only
};

// The socket systemd passed (when options.use_listen_fds and LISTEN_PID is us), else a bound one.
ListenSocket open_listen_socket(const ServeOptions& options);

// The `usersctl userdb serve` entry point: sets SYSTEMD_BYPASS_USERDB=<service> (our own NSS
// lookups must not loop back to us), ignores SIGPIPE, serves until SIGTERM or SIGINT, removes
// the socket file and returns 0. Throws usersctl::Error when the socket cannot be set up.
int serve(const ServeOptions& options, AccountSource& source);

}  // namespace usersctl::userdb
