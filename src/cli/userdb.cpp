// userdb serve: usersctl as the host's user database (io.systemd.UserDatabase over Varlink), so
// getent, id, PAM and sshd see its users through nss-systemd.

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "cli/command_setup.hpp"
#include "core/lookup_connections.hpp"
#include "userdb/database_source.hpp"
#include "userdb/userdb_server.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {
namespace {

// Each lookup waits at most this long for a locked database, well inside the service's 2 s
// request deadline, so a busy database answers ServiceNotAvailable instead of stalling logins.
constexpr const char* kServiceBusyTimeoutMs = "1000";

void serve_database(Context& context, const std::string& socket_path) {
  // Set before any thread starts (setenv races with getenv); an admin's own value wins.
  ::setenv("USERSCTL_BUSY_TIMEOUT_MS", kServiceBusyTimeoutMs, 0);
  core::use_lookup_connections();  // a small cache on each worker's connection: flat memory
  userdb::DatabaseAccountSource source(context.options.db);
  try {
    source.check_connection();
  } catch (const Unavailable& error) {
    // Serve anyway (lookups answer ServiceNotAvailable until the database is back): a socket
    // started at boot must not fail because the database comes up a little later.
    context.warn(std::string(error.what()) + "; serving anyway, lookups fail until it answers");
  }
  userdb::ServeOptions options;
  options.socket_path = socket_path;
  userdb::serve(options, source);
}

void setup_serve(CLI::App& family, Context& context) {
  auto socket = std::make_shared<std::string>(userdb::kDefaultSocketPath);
  auto* serve = family.add_subcommand(
      "serve", "Answer io.systemd.UserDatabase lookups (nss-systemd) from the database until SIGTERM");
  serve->add_option("--socket", *socket, "Socket to listen on; its file name is the service name")
      ->type_name("PATH")
      ->capture_default_str();
  serve->footer(
      "Serves the database --db, USERSCTL_DB or the profile names, read-only. Under systemd, the\n"
      "socket unit passes the listening socket (LISTEN_FDS) and --socket is not needed.\n"
      "Users whose name or uid the host's /etc/passwd already has (groups: /etc/group) are not\n"
      "served; 'usersctl health' lists them.\n\n"
      "Examples:\n"
      "  systemctl enable --now usersctl-userdb.socket\n"
      "  usersctl --db /var/lib/usersctl/users.db userdb serve\n"
      "  usersctl userdb serve --socket /run/systemd/userdb/io.usersctl.UserDatabase\n"
      "  userdbctl user alice && getent passwd alice");
  on_run(*serve, context, [&context, socket] { serve_database(context, *socket); });
}

}  // namespace

void setup_userdb_commands(CLI::App& app, Context& context) {
  add_command_family(
      app, context,
      {"userdb", "Serve the users to the host (getent, id, PAM, sshd) via systemd",
       "Examples:\n  sudo usersctl --db /var/lib/usersctl/users.db userdb serve\n"
       "  systemctl enable --now usersctl-userdb.socket   # the same, started by systemd on demand"},
      {setup_serve});
}

}  // namespace usersctl::cli
