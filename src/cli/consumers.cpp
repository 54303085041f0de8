// events consume, events consumers, events consumer delete: resumable consumers of the change feed.

#include <CLI/CLI.hpp>
#include <limits>

#include "cli/command_setup.hpp"
#include "cli/numeric_option.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

struct ConsumeFlags {
  core::ConsumeOptions options;
  std::string lease = "30s";
  std::string retry_delay = "1s";
  std::string timeout = "10m";
  std::string exclude_actor;
  bool dead_letters = false;
  bool retry_dead = false;
};

std::chrono::milliseconds duration_option(const std::string& text, const char* option) {
  const auto duration = util::parse_duration(text);
  if (!duration)
    throw UsageError(std::string(option) + " '" + text + "': expected a duration such as 500ms, 30s, 5m");
  return *duration;
}

void write_dead_letters(Context& context, const std::string& name) {
  static const std::vector<std::string> columns{"sequence", "type",    "attempts",
                                                "error",    "dead_at", "requeued"};
  auto writer = context.writer(output::Shape::Many, columns, columns);
  for (const auto& letter : context.services().consumers().dead_letters(name)) {
    output::Record record = output::Record::object();
    record["sequence"] = letter.sequence;
    record["type"] = letter.type;
    record["attempts"] = letter.attempts;
    record["error"] = letter.error ? output::Record(*letter.error) : output::Record(nullptr);
    record["dead_at"] = letter.dead_at;
    record["requeued"] = letter.requeued;
    writer->write(record);
  }
  writer->finish();
}

void run_consume(Context& context, ConsumeFlags& flags, bool exec_given) {
  auto& options = flags.options;
  if (flags.dead_letters) return write_dead_letters(context, options.name);
  if (flags.retry_dead) {
    const auto count = context.services().consumers().retry_dead(options.name);
    context.note("requeued " + std::to_string(count) + " dead letters of consumer '" + options.name + "'");
    if (!exec_given) return;
  }
  options.lease = duration_option(flags.lease, "--lease");
  options.retry_delay = duration_option(flags.retry_delay, "--retry-delay");
  options.timeout = duration_option(flags.timeout, "--timeout");
  if (!flags.exclude_actor.empty()) options.exclude_actor = flags.exclude_actor;
  options.warn = [&context](const std::string& text) { context.warn(text); };
  const auto summary = context.services().consumers().consume(options);
  std::string note = "consumer '" + options.name + "': handed out " + std::to_string(summary.events) +
                     " events in " + std::to_string(summary.batches) + " batches";
  if (summary.dead > 0) note += "; " + std::to_string(summary.dead) + " set aside as dead letters";
  context.note(note);
  if (summary.waiting) context.exit_code = static_cast<int>(ExitCode::DeliveryPending);
}

void setup_consume(CLI::App& events_app, Context& context) {
  auto flags = std::make_shared<ConsumeFlags>();
  auto& o = flags->options;
  auto* command = events_app.add_subcommand(
      "consume", "Hand the events after NAME's cursor to CMD as JSON Lines, a batch at a time");
  command->add_option("NAME", o.name, "The consumer (its cursor is kept in the database)")->required();
  auto* exec = command->add_option("--exec", o.command, "Shell command that gets each batch on stdin");
  decimal(command->add_option("--batch", o.batch, "Events per batch (default 100)"));
  command->add_option("--types", o.types, "Only these types: user.*,group.member_added");
  command->add_flag("-f,--follow", o.follow, "Keep waiting for new events until interrupted");
  decimal(command->add_option("--max-attempts", o.max_attempts,
                              "Failed attempts before a batch is set aside (default 5)"),
          std::numeric_limits<int>::max());
  command->add_option("--exclude-actor", flags->exclude_actor, "Skip the events this actor caused");
  command->add_option("--lease", flags->lease,
                      "How long a batch is out before another process may take it (30s)");
  command->add_option("--retry-delay", flags->retry_delay, "Wait before the 2nd attempt, doubled after (1s)");
  command->add_option("--timeout", flags->timeout, "Longest run of CMD for one batch (10m)");
  auto* dead =
      command->add_flag("--dead-letters", flags->dead_letters, "List the events set aside")->excludes(exec);
  command->add_flag("--retry-dead", flags->retry_dead, "Requeue the dead letters (handed out first)")
      ->excludes(dead);
  command->footer(
      "Examples:\n  usersctl events consume crm --exec 'crm-import --jsonl' --batch 500 --follow\n"
      "  usersctl events consume crm --dead-letters\n  usersctl events consume crm --retry-dead --exec "
      "'crm-import'");
  on_run(*command, context, [&context, flags, exec] {
    const bool exec_given = exec->count() > 0;
    if (!exec_given && !flags->dead_letters && !flags->retry_dead)
      throw UsageError("events consume: give --exec CMD, --dead-letters or --retry-dead");
    run_consume(context, *flags, exec_given);
  });
}

void setup_consumers(CLI::App& events_app, Context& context) {
  auto* command = events_app.add_subcommand("consumers", "Each consumer's cursor, lag and dead letters");
  command->footer("Example:\n  usersctl events consumers -o json | jq '.[] | select(.lag > 1000)'");
  on_run(*command, context, [&context] {
    static const std::vector<std::string> columns{"name",     "cursor",   "lag",          "dead_letters",
                                                  "requeued", "attempts", "next_attempt", "last_error"};
    auto writer = context.writer(output::Shape::Many, columns, columns);
    for (const auto& report : context.services().consumers().consumers()) {
      const auto& s = report.state;
      output::Record record = output::Record::object();
      record["name"] = s.name;
      record["cursor"] = s.cursor;
      record["lag"] = report.lag;
      record["dead_letters"] = s.dead_letters;
      record["requeued"] = s.requeued;
      record["attempts"] = s.attempts;
      record["next_attempt"] = s.attempts > 0 ? output::Record(util::rfc3339_from_unix_ms(s.next_attempt_ms))
                                              : output::Record(nullptr);
      record["last_error"] = s.last_error ? output::Record(*s.last_error) : output::Record(nullptr);
      writer->write(record);
    }
    writer->finish();
  });
}

void setup_consumer_delete(CLI::App& events_app, Context& context) {
  auto* family = events_app.add_subcommand("consumer", "Manage one consumer");
  family->require_subcommand(1);
  family->footer("Example:\n  usersctl events consumer delete crm");
  auto name = std::make_shared<std::string>();
  auto* command = family->add_subcommand("delete", "Forget a consumer: its cursor and dead letters");
  command->add_option("NAME", *name, "The consumer")->required();
  command->footer("Example:\n  usersctl events consumer delete crm");
  on_run(*command, context, [&context, name] {
    context.services().consumers().remove(*name);
    context.note("deleted consumer '" + *name + "'");
  });
}

}  // namespace

void setup_consumer_commands(CLI::App& events_app, Context& context) {
  setup_consume(events_app, context);
  setup_consumers(events_app, context);
  setup_consumer_delete(events_app, context);
}

}  // namespace usersctl::cli
