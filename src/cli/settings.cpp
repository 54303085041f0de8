// settings list|get|set: the database-wide settings.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/command_setup.hpp"

namespace usersctl::cli {

namespace {

const std::vector<std::string>& setting_fields() {
  static const std::vector<std::string> fields{"key", "value"};
  return fields;
}

void setup_list(CLI::App& settings, Context& context) {
  auto* command = settings.add_subcommand("list", "Show every setting and its value");
  command->footer("Example:\n  usersctl settings list");
  on_run(*command, context, [&context] {
    auto writer = context.writer(output::Shape::Many, setting_fields(), setting_fields());
    context.services().settings().list([&](const std::string& key, const std::string& value) {
      output::Record record;
      record["key"] = key;
      record["value"] = value;
      writer->write(record);
    });
    writer->finish();
  });
}

void setup_get(CLI::App& settings, Context& context) {
  auto key = std::make_shared<std::string>();
  auto* command = settings.add_subcommand("get", "Print the value of a setting");
  command->add_option("KEY", *key, "uid_range, gid_range, home_base or default_shell")->required();
  command->footer("Example:\n  usersctl settings get uid_range");
  on_run(*command, context,
         [&context, key] { std::cout << context.services().settings().get(*key) << '\n'; });
}

void setup_set(CLI::App& settings, Context& context) {
  struct Options {
    std::string key;
    std::string value;
  };
  auto options = std::make_shared<Options>();
  auto* command = settings.add_subcommand("set", "Change a setting (records a settings.changed event)");
  command->add_option("KEY", options->key, "uid_range, gid_range, home_base or default_shell")->required();
  command->add_option("VALUE", options->value, "The new value")->required();
  command->footer(
      "Examples:\n  usersctl settings set uid_range 100000-1999999999\n"
      "  usersctl settings set default_shell /bin/zsh");
  on_run(*command, context, [&context, options] {
    const auto changes = context.services().settings().set(options->key, options->value);
    if (changes.empty()) context.note(options->key + " is already '" + options->value + "'; nothing to do");
    context.report(changes);
  });
}

}  // namespace

void setup_settings_commands(CLI::App& app, Context& context) {
  add_command_family(
      app, context,
      {"settings", "Database-wide settings: id ranges, home base, default shell",
       "Keys: uid_range, gid_range (LOW-HIGH, default 1000-59999), home_base (default /home),\n"
       "default_shell (default /bin/bash).\n\n"
       "Examples:\n  usersctl settings list\n  usersctl settings set uid_range 100000-1999999999"},
      {setup_list, setup_get, setup_set});
}

}  // namespace usersctl::cli
