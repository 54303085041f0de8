#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

void on_run(CLI::App& command, Context& context, std::function<void()> body) {
  command.callback([&context, body = std::move(body)] { context.action = body; });
}

bool is_set_up(const CLI::App& command, const Context& context) {
  const CLI::App* top = &command;  // the top-level command it belongs to
  while (top->get_parent() != nullptr && top->get_parent()->get_parent() != nullptr) top = top->get_parent();
  return context.named_commands.count(top->get_name()) > 0;
}

CLI::App* add_command_family(CLI::App& app, Context& context, const FamilyHelp& help,
                             std::initializer_list<CommandSetup> commands) {
  auto* family = app.add_subcommand(help.name, help.description);
  if (!is_set_up(*family, context)) return family;
  family->require_subcommand(1);
  family->footer(help.footer);
  for (const CommandSetup setup : commands) setup(*family, context);
  return family;
}

std::vector<std::pair<std::string, std::string>> parse_key_values(const std::vector<std::string>& items,
                                                                  std::string_view option) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& item : items) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      // A filter (--where) that is malformed is a usage error, as an unknown filter field is
      // (exit 2, one rule for every bad filter); a bad --attr is bad input for the record (5).
      const std::string what = std::string(option) + " '" + item + "': expected KEY=VALUE";
      if (option == "--where") throw UsageError(what, "e.g. --where attrs.team=ops");
      throw Invalid(what);
    }
    pairs.emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  return pairs;
}

}  // namespace usersctl::cli
