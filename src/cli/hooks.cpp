// hook add, list, remove, test.

#include <CLI/CLI.hpp>
#include <fstream>

#include "cli/command_setup.hpp"
#include "util/db_url.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// A whsec_ secret is a few dozen bytes; reading stops past this, so `--secret-file /dev/zero`
// or a wrong multi-gigabyte file fails at once instead of filling memory.
constexpr std::size_t kMaxSecretFileBytes = 4096;

std::string read_secret_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Invalid("--secret-file '" + path + "': cannot read it");
  std::string secret(kMaxSecretFileBytes + 1, '\0');
  file.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  secret.resize(static_cast<std::size_t>(file.gcount()));
  if (secret.size() > kMaxSecretFileBytes) {
    throw Invalid(
        "--secret-file '" + path + "': larger than " + std::to_string(kMaxSecretFileBytes) + " bytes",
        "a webhook secret is whsec_ followed by the base64 of 24 to 64 bytes");
  }
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back()))) secret.pop_back();
  if (secret.empty()) throw Invalid("--secret-file '" + path + "': the file is empty");
  return secret;
}

output::Record hook_record(const model::Hook& hook) {
  output::Record record = output::Record::object();
  record["id"] = hook.id;
  record["kind"] = hook.kind == model::HookKind::Exec ? "exec" : "url";
  // A URL may carry credentials; the secret itself is never shown.
  record["target"] = hook.kind == model::HookKind::Url ? util::redact_db_url(hook.target) : hook.target;
  record["types"] = hook.types;
  record["signed"] = hook.secret.has_value();
  record["disabled"] = hook.disabled;
  record["created_at"] = hook.created_at;
  record["created_by"] = hook.created_by;
  return record;
}

void setup_add(CLI::App& hook_app, Context& context) {
  struct Options {
    std::string url;
    std::string exec;
    std::string secret_file;
    std::string types = "*";
  };
  auto options = std::make_shared<Options>();
  auto* command = hook_app.add_subcommand("add", "Deliver events to a webhook URL or a command");
  auto* url = command->add_option("--url", options->url, "POST events here (http or https)");
  auto* exec = command->add_option("--exec", options->exec, "Run /bin/sh -c CMD with the events on stdin");
  url->excludes(exec);
  command->add_option("--secret-file", options->secret_file, "File holding the whsec_… signing secret")
      ->excludes(exec);
  command->add_option("--types", options->types,
                      "Event types to send (default *; e.g. user.*,group.member_added)");
  command->footer(
      "Examples:\n  usersctl hook add --url https://hooks.example.com/users --secret-file "
      "/etc/usersctl/whsec\n"
      "  usersctl hook add --exec 'logger -t usersctl' --types user.*");
  command->callback([&context, options, url, exec] {
    context.action = [&context, options, url, exec] {
      if (url->count() == 0 && exec->count() == 0) throw UsageError("hook add: give --url URL or --exec CMD");
      core::NewHook hook;
      hook.kind = exec->count() > 0 ? model::HookKind::Exec : model::HookKind::Url;
      hook.target = exec->count() > 0 ? options->exec : options->url;
      if (!options->secret_file.empty()) hook.secret = read_secret_file(options->secret_file);
      hook.types = options->types;
      const std::int64_t id = context.events().add_hook(hook);
      context.note("added hook " + std::to_string(id));
    };
  });
}

void setup_list(CLI::App& hook_app, Context& context) {
  auto* command = hook_app.add_subcommand("list", "List hooks (secrets are never shown)");
  command->footer("Example:\n  usersctl hook list -o json | jq '.[] | {id, target}'");
  command->callback([&context] {
    context.action = [&context] {
      static const std::vector<std::string> columns{"id", "kind", "target", "types", "signed", "disabled"};
      const output::Record sample = hook_record(model::Hook{});
      auto writer = context.writer(output::Shape::Many, columns, field_names(sample));
      context.events().list_hooks([&](const model::Hook& hook) { writer->write(hook_record(hook)); });
      writer->finish();
    };
  });
}

void setup_remove(CLI::App& hook_app, Context& context) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* command = hook_app.add_subcommand("remove", "Remove a hook and its pending deliveries");
  command->add_option("ID", *id, "Hook id")->required();
  command->footer("Example:\n  usersctl hook remove 3");
  command->callback([&context, id] {
    context.action = [&context, id] {
      context.events().remove_hook(*id);
      context.note("removed hook " + std::to_string(*id));
    };
  });
}

void setup_test(CLI::App& hook_app, Context& context) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* command = hook_app.add_subcommand("test", "Send a test event to a hook (exit 7 if it fails)");
  command->add_option("ID", *id, "Hook id")->required();
  command->footer("Example:\n  usersctl hook test 3 || echo 'receiver is down'");
  command->callback([&context, id] {
    context.action = [&context, id] {
      const auto result = context.events().test_hook(*id);
      if (result.outcome == model::DeliveryOutcome::Delivered) {
        context.note("hook " + std::to_string(*id) + " accepted the test event");
        return;
      }
      context.warn("hook " + std::to_string(*id) + " did not accept the test event: " + result.detail);
      context.exit_code = static_cast<int>(ExitCode::DeliveryPending);
    };
  });
}

}  // namespace

void setup_hook_commands(CLI::App& app, Context& context) {
  auto* hook_app = app.add_subcommand("hook", "Webhooks and exec hooks that receive events");
  hook_app->require_subcommand(1);
  hook_app->footer(
      "Examples:\n  usersctl hook add --url https://hooks.example.com/users --secret-file "
      "/etc/usersctl/whsec\n"
      "  usersctl hook list\n  usersctl hook test 1");
  setup_add(*hook_app, context);
  setup_list(*hook_app, context);
  setup_remove(*hook_app, context);
  setup_test(*hook_app, context);
}

}  // namespace usersctl::cli
