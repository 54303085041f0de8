// health: what a monitor or an admin checks first.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "store/db_url.hpp"
#include "usersctl_version.hpp"

namespace usersctl::cli {

void setup_health_command(CLI::App& app, Context& context) {
  auto* command =
      app.add_subcommand("health", "Show the database, schema and record counts (exit 6 if unreachable)");
  command->footer(
      "Examples:\n  usersctl health\n"
      "  usersctl health -o json | jq -e '.failed_events == 0'   # for a monitor: nonzero exit on failures");
  command->callback([&context] {
    context.action = [&context] {
      store::Store& store = context.store();
      output::Record record;
      store.read([&] {
        const store::StoreInfo info = store.info();
        record["name"] = "usersctl";
        record["version"] = kVersion;
        record["db"] = store::redact_db_url(info.location);
        record["backend"] = info.backend;
        record["schema_version"] = info.schema_version;
        record["users"] = store.count_users();
        record["groups"] = store.count_groups();
        record["events"] = store.last_event_sequence();
      });
      const auto totals = context.events().totals();
      // Deliveries still owed to hooks: what a monitor alerts on.
      record["pending_events"] = totals.pending;
      record["failed_events"] = totals.failed;
      const std::vector<std::string> fields = field_names(record);
      auto writer = context.writer(output::Shape::One, fields, fields);
      writer->write(record);
      writer->finish();
    };
  });
}

}  // namespace usersctl::cli
