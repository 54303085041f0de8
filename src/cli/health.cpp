// health: what a monitor or an admin checks first.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "userdb/database_source.hpp"
#include "userdb/host_accounts.hpp"
#include "util/url_redaction.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::cli {
namespace {

// What `userdb serve` withholds because the host's /etc/passwd or /etc/group has the name or id:
// "user collide (name, uid 4242)".
std::vector<std::string> host_collisions(const std::string& db_url) {
  userdb::HostAccounts host;
  userdb::DatabaseAccountSource source(db_url);
  std::vector<std::string> out;
  for (const auto& collision : userdb::find_host_collisions(host, source)) {
    const bool user = collision.kind == userdb::HostCollision::Kind::User;
    std::string what = collision.name_taken ? "name" : "";
    if (collision.id_taken) {
      what += (what.empty() ? "" : ", ") + std::string(user ? "uid " : "gid ") + std::to_string(collision.id);
    }
    out.push_back(std::string(user ? "user " : "group ") + collision.name + " (" + what + ")");
  }
  return out;
}

}  // namespace

void setup_health_command(CLI::App& app, Context& context) {
  auto* command =
      app.add_subcommand("health", "Show the database, schema and record counts (exit 6 if unreachable)");
  if (!is_set_up(*command, context)) return;
  command->footer(
      "Examples:\n  usersctl health\n"
      "  usersctl health -o json | jq -e '.failed_events == 0'   # for a monitor: nonzero exit on failures");
  on_run(*command, context, [&context] {
    const core::HealthReport report = context.events().health();
    output::Record record;
    record["name"] = "usersctl";
    record["version"] = kVersion;
    record["db"] = util::redact_url(report.database.location);
    record["backend"] = report.database.backend;
    record["schema_version"] = report.database.schema_version;
    record["users"] = report.users;
    record["groups"] = report.groups;
    record["events"] = report.last_event;
    // The log as kept (events prune, events_keep_days): how many and the oldest.
    const model::EventStats kept = context.services().history().event_stats();
    record["events_kept"] = kept.count;
    record["oldest_event"] = kept.oldest_sequence;
    record["oldest_event_time"] =
        kept.oldest_time.empty() ? output::Record(nullptr) : output::Record(kept.oldest_time);
    // Deliveries still owed to hooks: what a monitor alerts on.
    record["pending_events"] = report.deliveries.pending;
    record["failed_events"] = report.deliveries.failed;
    // Records the userdb service does not serve, as the host defines their names or ids.
    record["host_collisions"] = host_collisions(context.options.db);
    context.write_one(record);
  });
}

}  // namespace usersctl::cli
