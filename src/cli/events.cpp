// events list, tail, deliver, redeliver, status: the durable change feed and its delivery.

#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <thread>

#include "cli/command_setup.hpp"
#include "cli/numeric_option.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

const std::vector<std::string>& event_table_columns() {
  static const std::vector<std::string> columns{"sequence", "type", "subject", "time"};
  return columns;
}

const std::vector<std::string>& event_fields() {
  static const std::vector<std::string> fields{
      "specversion", "id",           "source",          "type", "time", "subject",
      "sequence",    "partitionkey", "datacontenttype", "data"};
  return fields;
}

// True once whoever reads our stdout has gone (the pipe's read end is closed).
bool reader_gone() {
  pollfd fd{STDOUT_FILENO, 0, 0};
  return ::poll(&fd, 1, 0) > 0 && (fd.revents & (POLLERR | POLLHUP)) != 0;
}

void setup_list(CLI::App& events_app, Context& context) {
  struct Options {
    std::int64_t since = 0;
    std::string type;
    std::int64_t limit = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = events_app.add_subcommand("list", "List events after a sequence number");
  decimal(command->add_option("--since", options->since, "Only events after this sequence number"));
  auto* type = command->add_option("--type", options->type, "Only this type, or a family such as user.*");
  auto* limit = decimal(command->add_option("--limit", options->limit, "At most N events"));
  command->footer(
      "Examples:\n  usersctl events list --since 100 --type user.*\n"
      "  usersctl events list --type group.member_added -o csv");
  on_run(*command, context, [&context, options, type, limit] {
    auto writer = context.writer(output::Shape::Many, event_table_columns(), event_fields());
    const auto type_filter = type->count() > 0 ? std::optional<std::string>(options->type) : std::nullopt;
    const auto limit_value = limit->count() > 0 ? std::optional<std::int64_t>(options->limit) : std::nullopt;
    context.events().list(options->since, type_filter, limit_value, [&](const model::StoredEvent& event) {
      writer->write(output::Record::parse(event.body));
    });
    writer->finish();
  });
}

void setup_tail(CLI::App& events_app, Context& context) {
  struct Options {
    std::int64_t since = 0;
    bool follow = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = events_app.add_subcommand("tail", "Print the change feed as JSON Lines");
  decimal(command->add_option("--since", options->since,
                              "Start after this sequence number (default: the beginning)"));
  command->add_flag("-f,--follow", options->follow, "Keep waiting for new events until interrupted");
  command->footer("Example:\n  usersctl events tail --follow | jq -c 'select(.type == \"user.created\")'");
  on_run(*command, context, [&context, options] {
    std::int64_t cursor = options->since;
    const auto print = [](const model::StoredEvent& event) { std::cout << event.body << '\n'; };
    while (true) {
      cursor = context.events().tail(cursor, print);
      std::cout.flush();
      if (!options->follow || !std::cout || reader_gone()) return;
      // PostgreSQL wakes this as soon as an event commits (LISTEN/NOTIFY); else it polls.
      context.services().consumers().wait_for_events(std::chrono::milliseconds(250));
    }
  });
}

void setup_deliver(CLI::App& events_app, Context& context) {
  auto now = std::make_shared<bool>(false);
  auto* command = events_app.add_subcommand(
      "deliver", "Send pending deliveries that are due (exit 7 while any stay pending or failed)");
  command->add_flag("--now", *now, "Send every pending delivery, ignoring the backoff");
  command->footer("Example (cron, every minute):\n  * * * * * usersctl -q events deliver");
  on_run(*command, context, [&context, now] {
    model::DispatchOptions options;
    options.backoff = *now ? model::Backoff::Ignore : model::Backoff::Honour;
    const auto summary = context.events().deliver(options);
    for (const auto& problem : summary.problems) context.warn("delivery failed: " + problem);
    // Not a silent "delivered 0": another process (live, or killed while it held the lease)
    // has the hook; its deliveries stay pending until that lease ends.
    for (const auto& held : summary.held) context.warn(held);
    // Only enabled hooks count: a disabled hook's leftovers wait for `hook enable`.
    const auto totals = context.events().totals();
    std::string note = "delivered " + std::to_string(summary.delivered) + "; pending " +
                       std::to_string(totals.pending) + ", failed " + std::to_string(totals.failed);
    if (totals.held > 0) note += "; " + std::to_string(totals.held) + " held by disabled hooks";
    context.note(note);
    if (totals.pending > 0 || totals.failed > 0 || !summary.problems.empty() || !summary.held.empty())
      context.exit_code = static_cast<int>(ExitCode::DeliveryPending);
  });
}

void setup_redeliver(CLI::App& events_app, Context& context) {
  struct Options {
    std::vector<std::int64_t> sequences;
    bool failed = false;
  };
  auto options = std::make_shared<Options>();
  auto* command =
      events_app.add_subcommand("redeliver", "Queue deliveries again (e.g. after fixing a receiver)");
  auto* sequences =
      decimal(command->add_option("SEQ", options->sequences, "Event sequence numbers"))->type_name("SEQ");
  command->add_flag("--failed", options->failed, "Every failed delivery")->excludes(sequences);
  command->footer(
      "Examples:\n  usersctl events redeliver 41 42\n"
      "  usersctl events redeliver --failed && usersctl events deliver --now");
  on_run(*command, context, [&context, options] {
    if (options->sequences.empty() && !options->failed)
      throw UsageError("redeliver: give SEQ... or --failed");
    const std::int64_t count = options->failed ? context.events().redeliver_failed()
                                               : context.events().redeliver(options->sequences);
    context.note("queued " + std::to_string(count) + " deliveries; 'usersctl events deliver' sends them");
  });
}

void setup_status(CLI::App& events_app, Context& context) {
  auto* command = events_app.add_subcommand(
      "status", "Pending and failed deliveries per hook, and when the next try is due");
  command->footer("Example:\n  usersctl events status -o json | jq '.[] | select(.failed > 0)'");
  on_run(*command, context, [&context] {
    static const std::vector<std::string> columns{"hook",   "name",      "disabled",     "pending",
                                                  "failed", "delivered", "next_attempt", "last_error"};
    auto writer = context.writer(output::Shape::Many, columns, columns);
    for (const auto& counts : context.events().status()) {
      output::Record record = output::Record::object();
      record["hook"] = counts.hook_id;
      record["name"] = counts.name ? output::Record(*counts.name) : output::Record(nullptr);
      record["disabled"] = counts.disabled;
      record["pending"] = counts.pending;
      record["failed"] = counts.failed;
      record["delivered"] = counts.delivered;
      // A disabled hook tries nothing; otherwise the first pending delivery's time (past: due now).
      record["next_attempt"] = counts.next_attempt_ms && !counts.disabled
                                   ? output::Record(util::rfc3339_from_unix_ms(*counts.next_attempt_ms))
                                   : output::Record(nullptr);
      record["last_error"] = counts.last_error ? output::Record(*counts.last_error) : output::Record(nullptr);
      writer->write(record);
    }
    writer->finish();
  });
}

}  // namespace

void setup_event_commands(CLI::App& app, Context& context) {
  add_command_family(
      app, context,
      {"events", "The change feed and its delivery to hooks",
       "Examples:\n  usersctl events tail --follow | jq -c .\n"
       "  * * * * * usersctl -q events deliver   # crontab: retry pending deliveries"},
      {setup_list, setup_tail, setup_deliver, setup_redeliver, setup_status, setup_consumer_commands});
}

}  // namespace usersctl::cli
