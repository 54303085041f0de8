// help and version: what people type first, as gh and kubectl have them.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/command_setup.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::cli {

namespace {

void setup_help(CLI::App& app, Context& context) {
  auto topic = std::make_shared<std::vector<std::string>>();
  auto* command = app.add_subcommand("help", "Show the help of a command: usersctl help group add");
  if (!is_set_up(*command, context)) return;
  // Never parsed: app.cpp runs `help WORDS...` as `WORDS... --help`. Declared so that it is listed,
  // suggested for a typo and completed.
  command->add_option("COMMAND", *topic, "The command (and its subcommand) to explain");
  command->footer("Examples:\n  usersctl help\n  usersctl help group add");
}

// The version, the schema each backend gets, the backends built in. Plain text unless -o asks.
output::Record version_record() {
  output::Record record;
  record["version"] = kVersion;
  record["schema_version"] = output::Record::object();
  record["backends"] = output::Record::array();
  for (const auto& backend : core::Services::built_in_backends()) {
    record["schema_version"][backend.backend] = backend.schema_version;
    record["backends"].push_back(backend.backend);
  }
  return record;
}

void setup_version(CLI::App& app, Context& context) {
  auto* command =
      app.add_subcommand("version", "Print the version (-o json: also schema versions, backends)");
  if (!is_set_up(*command, context)) return;
  command->footer(
      "schema_version is the schema this binary creates and migrates to, per backend.\n\n"
      "Examples:\n  usersctl version\n  usersctl version -o json | jq -r .version");
  on_run(*command, context, [&context] {
    if (context.options.output.empty() && context.options.fields.empty()) {
      std::cout << "usersctl " << kVersion << '\n';
      return;
    }
    context.write_one(version_record());
  });
}

}  // namespace

void setup_help_commands(CLI::App& app, Context& context) {
  setup_help(app, context);
  setup_version(app, context);
}

}  // namespace usersctl::cli
