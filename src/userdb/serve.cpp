// serve(): the process-wide parts of running the service (environment, signals) around
// UserdbServer, which itself touches no global state.

#include <csignal>
#include <cstdlib>

#include "userdb/userdb_server.hpp"

namespace usersctl::userdb {
namespace {

std::atomic<UserdbServer*> signalled_server{nullptr};

extern "C" void on_stop_signal(int) {
  if (UserdbServer* server = signalled_server.load()) server->stop();
}

// Installs the handlers for the lifetime of one serve() call and restores the old ones after.
class StopSignals {
 public:
  explicit StopSignals(UserdbServer& server) {
    signalled_server.store(&server);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, &old_term_);
    ::sigaction(SIGINT, &action, &old_int_);
  }
  ~StopSignals() {
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::sigaction(SIGINT, &old_int_, nullptr);
    signalled_server.store(nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_term_ {};
  struct sigaction old_int_ {};
};

}  // namespace

int serve(const ServeOptions& options, AccountSource& source) {
  // A write to a client that hung up must fail with EPIPE, never end the service.
  std::signal(SIGPIPE, SIG_IGN);
  ListenSocket socket = open_listen_socket(options);
  // nss-systemd in this process (the source's own getpwnam, say) then skips our socket instead
  // of calling itself and deadlocking. Set before any thread starts: setenv races with getenv.
  ::setenv("SYSTEMD_BYPASS_USERDB", service_name_of(socket.path).c_str(), 1);
  UserdbServer server(options, std::move(socket), source);
  StopSignals signals(server);
  server.run();
  return 0;
}

}  // namespace usersctl::userdb
