#pragma once
// The setup functions of the command families (one file each) and helpers they share.

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.hpp"

namespace CLI {
class App;
}

namespace usersctl::cli {

void setup_user_commands(CLI::App& app, Context& context);
void setup_group_commands(CLI::App& app, Context& context);
void setup_health_command(CLI::App& app, Context& context);
void setup_event_commands(CLI::App& app, Context& context);
void setup_hook_commands(CLI::App& app, Context& context);
// hook rotate-secret (cli/hook_rotation.cpp).
void setup_hook_rotation(CLI::App& hook_app, Context& context);
// events consume, events consumers, events consumer delete (cli/consumers.cpp).
void setup_consumer_commands(CLI::App& events_app, Context& context);
// export (later import and apply).
void setup_transfer_commands(CLI::App& app, Context& context);
void setup_bulk_commands(CLI::App& app, Context& context);  // import, apply
void setup_settings_commands(CLI::App& app, Context& context);
// history USER|--group GROUP, and events prune.
void setup_history_commands(CLI::App& app, Context& context);
// restore, purge, group restore.
void setup_recycle_bin_commands(CLI::App& app, Context& context);
// ssh-key add|list|remove and ssh-authorized-keys.
void setup_ssh_key_commands(CLI::App& app, Context& context);
// `completion SHELL` and the hidden `__complete KIND [PREFIX]` that the scripts call for names.
void setup_completion_commands(CLI::App& app, Context& context);
// `help [COMMAND...]` (app.cpp turns it into COMMAND... --help) and `version [-o json]`.
void setup_help_commands(CLI::App& app, Context& context);
// `userdb serve`: the io.systemd.UserDatabase service.
void setup_userdb_commands(CLI::App& app, Context& context);

// The hidden command the completion scripts call; it must be the first argument (app.cpp keeps
// its errors silent).
inline constexpr std::string_view kCompleteCommand = "__complete";

// A command family ("group", "hook", ...): a subcommand that needs one of its own, with examples
// (and any notes) as the footer of its --help, and its subcommands as a table of setup functions
// (as ninja's subtools), each adding one to the family.
struct FamilyHelp {
  std::string name;
  std::string description;
  std::string footer;
};
using CommandSetup = void (*)(CLI::App& family, Context& context);
CLI::App* add_command_family(CLI::App& app, Context& context, const FamilyHelp& help,
                             std::initializer_list<CommandSetup> commands);

// Whether `command`, just added, is to be set up in full (options, footer, action): only when the
// command line names it or the family it is in. Every other command stays its name and description,
// which is all that `usersctl --help` and the suggestion for a mistyped command need; building every
// command's options was a quarter of a short command's work. A setup function returns when false.
bool is_set_up(const CLI::App& command, const Context& context);

// Makes `body` the command's action: app.cpp runs it once CLI11 has parsed the whole command line
// (a callback runs mid-parse, before later options are known, so no work is done there).
void on_run(CLI::App& command, Context& context, std::function<void()> body);

// "KEY=VALUE" items (--attr, --where) into pairs; throws Invalid naming `option`.
std::vector<std::pair<std::string, std::string>> parse_key_values(const std::vector<std::string>& items,
                                                                  std::string_view option);

}  // namespace usersctl::cli
