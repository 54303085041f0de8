// health: what a monitor or an admin checks first.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "util/db_url.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::cli {

void setup_health_command(CLI::App& app, Context& context) {
  auto* command =
      app.add_subcommand("health", "Show the database, schema and record counts (exit 6 if unreachable)");
  command->footer(
      "Examples:\n  usersctl health\n"
      "  usersctl health -o json | jq -e '.failed_events == 0'   # for a monitor: nonzero exit on failures");
  command->callback([&context] {
    context.action = [&context] {
      const core::HealthReport report = context.events().health();
      output::Record record;
      record["name"] = "usersctl";
      record["version"] = kVersion;
      record["db"] = util::redact_db_url(report.database.location);
      record["backend"] = report.database.backend;
      record["schema_version"] = report.database.schema_version;
      record["users"] = report.users;
      record["groups"] = report.groups;
      record["events"] = report.last_event;
      // Deliveries still owed to hooks: what a monitor alerts on.
      record["pending_events"] = report.deliveries.pending;
      record["failed_events"] = report.deliveries.failed;
      const std::vector<std::string> fields = field_names(record);
      auto writer = context.writer(output::Shape::One, fields, fields);
      writer->write(record);
      writer->finish();
    };
  });
}

}  // namespace usersctl::cli
