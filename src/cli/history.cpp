// history USER|--group GROUP: a record's changes from the event log, newest first.

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command_setup.hpp"
#include "cli/numeric_option.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

const std::vector<std::string>& history_fields() {
  static const std::vector<std::string> fields{"sequence", "time", "actor", "type", "changes"};
  return fields;
}

struct HistoryOptions {
  std::string user;
  std::string group;
  std::int64_t limit = 0;
  std::string since;
};

core::HistoryRequest build_request(const HistoryOptions& options, bool has_limit, bool has_since) {
  if (options.user.empty() == options.group.empty()) {
    throw UsageError("history: give a USER or --group GROUP",
                     "usersctl history alice, usersctl history --group dev");
  }
  core::HistoryRequest request;
  request.kind = options.group.empty() ? model::RecordKind::User : model::RecordKind::Group;
  request.name = options.group.empty() ? options.user : options.group;
  if (has_limit) request.limit = options.limit;
  if (has_since) request.since = options.since;
  return request;
}

// events prune: registered here, beside the history it shortens, on the `events` family.
void setup_prune(CLI::App& events_app, Context& context) {
  auto before = std::make_shared<std::string>();
  auto* command = events_app.add_subcommand("prune", "Drop old events from the log");
  if (!is_set_up(*command, context)) return;
  command->add_option("--before", *before, "Drop the events before SEQ, or before TIME")
      ->type_name("TIME|SEQ")
      ->required();
  command->footer(
      "Never drops an event a delivery still waits for (pending or failed), nor the history of a\n"
      "record in the recycle bin, nor an event after a consumer's cursor or one of its dead letters\n"
      "(`events consumers`), nor the newest event. `settings set events_keep_days N` does it after\n"
      "every write.\n\n"
      "Examples:\n  usersctl events prune --before 2026-01-01\n  usersctl events prune --before 5000");
  on_run(*command, context, [&context, before] {
    const std::int64_t dropped = context.services().history().prune(*before);
    context.note("pruned " + std::to_string(dropped) + " events");
  });
}

}  // namespace

void setup_history_commands(CLI::App& app, Context& context) {
  setup_prune(*app.get_subcommand("events"), context);  // registered after the events family
  auto options = std::make_shared<HistoryOptions>();
  auto* command = app.add_subcommand("history", "Show every change to a user or group, newest first");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", options->user, "User name");
  command->add_option("--group", options->group, "A group's history instead")->type_name("GROUP");
  auto* limit = decimal(command->add_option("--limit", options->limit, "At most N changes"));
  auto* since = command->add_option("--since", options->since, "Only changes after SEQ, or from TIME on")
                    ->type_name("TIME|SEQ");
  command->footer(
      "Follows the record through renames; works for deleted records too. Each change lists its\n"
      "fields with their value before and after (passwords only as \"changed\").\n\n"
      "Examples:\n  usersctl history alice --limit 10\n  usersctl history --group dev --since 2026-12-01\n"
      "  usersctl history alice | jq -c 'select(.changes.email)'");
  on_run(*command, context, [&context, options, limit, since] {
    const core::HistoryRequest request = build_request(*options, limit->count() > 0, since->count() > 0);
    auto writer = context.writer(output::Shape::Many, history_fields(), history_fields());
    const auto note = context.services().history().history(
        request, [&](const core::HistoryEntry& entry) { writer->write(core::history_record(entry)); });
    writer->finish();
    if (note) context.note(*note);
  });
}

}  // namespace usersctl::cli
