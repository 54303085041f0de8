// hook add, list, show, remove, test, disable, enable. Every command but add and list takes the
// hook's id or its name (a name never starts with a digit, so the two cannot be confused).

#include <CLI/CLI.hpp>
#include <limits>

#include "cli/command_setup.hpp"
#include "cli/numeric_option.hpp"
#include "core/hook_secret.hpp"
#include "core/hook_types.hpp"
#include "util/clock.hpp"
#include "util/db_url.hpp"
#include "util/errors.hpp"
#include "util/url_redaction.hpp"

namespace usersctl::cli {

namespace {

output::Record hook_record(const model::Hook& hook) {
  output::Record record = output::Record::object();
  record["id"] = hook.id;
  record["name"] = hook.name ? output::Record(*hook.name) : output::Record(nullptr);
  record["kind"] = hook.kind == model::HookKind::Exec ? "exec" : "url";
  // A URL may carry credentials; the secret itself is never shown.
  record["target"] = hook.kind == model::HookKind::Url ? util::redact_url(hook.target) : hook.target;
  record["types"] = hook.types;
  record["timeout"] = hook.timeout_seconds;
  record["signed"] = hook.secret.has_value();
  record["disabled"] = hook.disabled;
  record["created_at"] = hook.created_at;
  record["created_by"] = hook.created_by;
  record["exclude_actor"] =
      hook.exclude_actor ? output::Record(*hook.exclude_actor) : output::Record(nullptr);
  record["old_secret_until"] = hook.old_secret && hook.old_secret_until_ms > 0
                                   ? output::Record(util::rfc3339_from_unix_ms(hook.old_secret_until_ms))
                                   : output::Record(nullptr);
  return record;
}

// --if-not-exists found a hook of that name: say which, and whether it differs from the request.
void report_existing(Context& context, const model::Hook& hook, const core::NewHook& request) {
  context.note(core::hook_label(hook) + " already exists; nothing changed");
  const bool same = hook.kind == request.kind && hook.target == request.target &&
                    hook.types == request.types && hook.secret.has_value() == request.secret.has_value() &&
                    hook.timeout_seconds == request.timeout_seconds;
  if (!same) {
    context.warn(core::hook_label(hook) +
                 " differs from this request (see usersctl hook show); it was left as it is");
  }
}

struct AddOptions {
  std::string name;
  std::string url;
  std::string exec;
  std::string secret_file;
  std::string secret_format = "whsec";
  std::string types = "*";
  int timeout_seconds = 30;
  std::string exclude_actor;
  bool if_not_exists = false;
};

core::NewHook new_hook(const AddOptions& options, bool is_exec) {
  core::NewHook hook;
  if (!options.name.empty()) hook.name = options.name;
  hook.kind = is_exec ? model::HookKind::Exec : model::HookKind::Url;
  hook.target = is_exec ? options.exec : options.url;
  if (!options.secret_file.empty()) {
    const auto format =
        options.secret_format == "raw" ? core::HookSecretFormat::Raw : core::HookSecretFormat::Whsec;
    hook.secret = core::read_hook_secret_file(options.secret_file, format);
  }
  hook.types = options.types;
  hook.timeout_seconds = options.timeout_seconds;
  if (!options.exclude_actor.empty()) hook.exclude_actor = options.exclude_actor;
  return hook;
}

void setup_add(CLI::App& hook_app, Context& context) {
  auto options = std::make_shared<AddOptions>();
  auto* command = hook_app.add_subcommand("add", "Deliver events to a webhook URL or a command");
  auto* name = command->add_option("--name", options->name, "A unique name to refer to the hook by");
  auto* url = command->add_option("--url", options->url, "POST events here (http or https)");
  auto* exec = command->add_option("--exec", options->exec, "Run /bin/sh -c CMD with the events on stdin");
  url->excludes(exec);
  auto* secret = command->add_option("--secret-file", options->secret_file,
                                     "File holding the signing secret: whsec_ + base64 of 24-64 bytes");
  secret->excludes(exec);
  command
      ->add_option("--secret-format", options->secret_format, "whsec (default) or raw: the file is the key")
      ->check(CLI::IsMember({"whsec", "raw"}))
      ->needs(secret);
  command->add_option("--types", options->types,
                      "Event types to send (default *; e.g. user.*,group.member_added)");
  decimal(command->add_option(
              "--timeout", options->timeout_seconds,
              "Seconds each attempt may take, in events deliver and hook test (default 30, 1-3600)"),
          std::numeric_limits<int>::max())
      ->check(CLI::Range(1, 3600));
  command->add_option("--exclude-actor", options->exclude_actor, "Skip the events this actor caused");
  command->add_flag("--if-not-exists", options->if_not_exists, "Succeed without change if the name exists")
      ->needs(name);
  command->footer(
      "Examples:\n  usersctl hook add --name crm --url https://hooks.example.com/users --secret-file "
      "/etc/usersctl/whsec\n"
      "  usersctl hook add --name audit --exec 'logger -t usersctl' --types user.* --if-not-exists");
  on_run(*command, context, [&context, options, url, exec] {
    if (url->count() == 0 && exec->count() == 0) throw UsageError("hook add: give --url URL or --exec CMD");
    const core::NewHook request = new_hook(*options, exec->count() > 0);
    const auto added = context.events().add_hook(
        request, options->if_not_exists ? core::IfExists::Skip : core::IfExists::Fail);
    if (added.changed) {
      context.note("added " + core::hook_label(added.hook));
    } else {
      report_existing(context, added.hook, request);
    }
  });
}

void setup_list(CLI::App& hook_app, Context& context) {
  auto* command = hook_app.add_subcommand("list", "List hooks (secrets are never shown)");
  command->footer("Example:\n  usersctl hook list -o json | jq '.[] | {id, name, target}'");
  on_run(*command, context, [&context] {
    static const std::vector<std::string> columns{"id",    "name",   "kind",    "target",
                                                  "types", "signed", "disabled"};
    const output::Record sample = hook_record(model::Hook{});
    auto writer = context.writer(output::Shape::Many, columns, field_names(sample));
    context.events().list_hooks([&](const model::Hook& hook) { writer->write(hook_record(hook)); });
    writer->finish();
  });
}

// A subcommand taking one ID|NAME argument; `run` gets it.
CLI::App* add_hook_command(CLI::App& hook_app, Context& context, const std::string& name,
                           const std::string& description, const std::string& example,
                           std::function<void(Context&, const std::string&)> run) {
  auto ref = std::make_shared<std::string>();
  auto* command = hook_app.add_subcommand(name, description);
  command->add_option("HOOK", *ref, "The hook's id or name")->required();
  command->footer("Example:\n  " + example);
  on_run(*command, context, [&context, ref, run] { run(context, *ref); });
  return command;
}

void show_hook(Context& context, const std::string& ref) {
  context.write_one(hook_record(context.events().find_hook(ref)));
}

void remove_hook(Context& context, const std::string& ref) {
  context.note("removed " + core::hook_label(context.events().remove_hook(ref)));
}

void test_hook(Context& context, const std::string& ref) {
  const model::Hook hook = context.events().find_hook(ref);
  const auto result = context.events().test_hook(hook);
  if (result.outcome == model::DeliveryOutcome::Delivered) {
    context.note(core::hook_label(hook) + " accepted the test event");
    return;
  }
  context.warn(core::hook_label(hook) + " did not accept the test event: " + result.detail);
  context.exit_code = static_cast<int>(ExitCode::DeliveryPending);
}

void disable_hook(Context& context, const std::string& ref) {
  const auto outcome = context.events().set_hook_enabled(ref, false);
  const std::string label = core::hook_label(outcome.hook);
  if (!outcome.changed) return context.note(label + " is already disabled; nothing to do");
  context.note("disabled " + label +
               "; it gets no new events, and its pending deliveries wait for 'hook enable'");
}

void enable_hook(Context& context, const std::string& ref) {
  const auto outcome = context.events().set_hook_enabled(ref, true);
  const std::string label = core::hook_label(outcome.hook);
  if (!outcome.changed) return context.note(label + " is already enabled; nothing to do");
  context.note("enabled " + label);
  for (const auto& counts : context.events().status()) {
    if (counts.hook_id != outcome.hook.id) continue;
    // What it kept while disabled (after a 410 too) goes out first, with the next delivery.
    if (counts.pending > 0) {
      const std::string n = std::to_string(counts.pending);
      context.note("it has " + n + (counts.pending == 1 ? " pending delivery" : " pending deliveries") +
                   "; 'usersctl events deliver' sends them, oldest first");
    }
    if (counts.failed > 0) {
      context.note(std::to_string(counts.failed) +
                   " of its deliveries failed; 'usersctl events redeliver --failed' queues them again");
    }
  }
}

}  // namespace

void setup_hook_commands(CLI::App& app, Context& context) {
  auto* hook_app = add_command_family(
      app, context,
      {"hook", "Webhooks and exec hooks that receive events",
       "Examples:\n  usersctl hook add --name crm --url https://hooks.example.com/users --secret-file "
       "/etc/usersctl/whsec\n"
       "  usersctl hook list\n  usersctl hook test crm\n  usersctl hook disable crm"},
      {setup_add, setup_list, setup_hook_rotation});
  if (!is_set_up(*hook_app, context)) return;
  add_hook_command(*hook_app, context, "show", "Show one hook (never its secret)",
                   "usersctl hook show crm -o json", show_hook);
  add_hook_command(*hook_app, context, "remove", "Remove a hook and its deliveries", "usersctl hook remove 3",
                   remove_hook);
  add_hook_command(*hook_app, context, "test", "Send a test event to a hook (exit 7 if it fails)",
                   "usersctl hook test crm || echo 'receiver is down'", test_hook);
  add_hook_command(*hook_app, context, "disable", "Stop sending events to a hook (keeps its pending ones)",
                   "usersctl hook disable crm", disable_hook);
  add_hook_command(*hook_app, context, "enable", "Send events to a disabled hook again",
                   "usersctl hook enable crm && usersctl events redeliver --failed", enable_hook);
}

}  // namespace usersctl::cli
