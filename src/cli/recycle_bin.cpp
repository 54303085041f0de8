// restore, purge and group restore: the recycle bin that delete and group delete fill.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "cli/numeric_option.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  return option->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
}

// `restore USER` and `group restore NAME`: the same command for either kind of record.
struct RestoreCommand {
  const char* positional;  // USER, NAME
  const char* positional_help;
  const char* description;
  const char* footer;
  std::vector<model::Change> (core::RecycleBinService::*restore)(std::string_view,
                                                                 const std::optional<std::string>&);
};

void setup_restore(CLI::App& app, Context& context, const RestoreCommand& spec) {
  struct Options {
    std::string name;
    std::string as;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("restore", spec.description);
  if (!is_set_up(*command, context)) return;
  command->add_option(spec.positional, options->name, spec.positional_help)->required();
  auto* as =
      command->add_option("--as", options->as, "Restore under this name instead")->type_name("NEWNAME");
  command->footer(spec.footer);
  on_run(*command, context, [&context, options, as, restore = spec.restore] {
    context.report((context.services().recycle_bin().*restore)(options->name, given(as, options->as)));
  });
}

void setup_purge(CLI::App& app, Context& context) {
  struct Options {
    std::string username;
    std::int64_t older_than = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("purge", "Remove deleted users for good from the recycle bin");
  if (!is_set_up(*command, context)) return;
  auto* user = command->add_option("USER", options->username, "User name (as it was deleted)");
  auto* older = decimal(command->add_option("--older-than", options->older_than,
                                            "Everything binned more than DAYS ago"))
                    ->type_name("DAYS")
                    ->excludes(user);
  command->footer(
      "Final: the row, its hash, keys and memberships go (user.purged); its uid may be reused.\n"
      "`settings set recycle_days N` purges after N days on every write.\n\n"
      "Examples:\n  usersctl purge alice\n  usersctl purge --older-than 7");
  on_run(*command, context, [&context, options, user, older] {
    if (user->count() == 0 && older->count() == 0) {
      throw UsageError("purge: give a USER or --older-than DAYS");
    }
    auto& bin = context.services().recycle_bin();
    const auto changes =
        user->count() > 0 ? bin.purge_user(options->username) : bin.purge_older_than(options->older_than);
    if (changes.empty()) context.note("nothing in the recycle bin is that old");
    context.report(changes);
  });
}

}  // namespace

void setup_recycle_bin_commands(CLI::App& app, Context& context) {
  setup_restore(
      app, context,
      {"USER", "User name (as it was deleted)", "Bring a deleted user back from the recycle bin",
       "Everything comes back: uid, password, SSH keys, attributes and the membership of every group\n"
       "that still exists (renamed or not). Exit 4 when the name or uid is taken now, 3 when the\n"
       "user is not in the bin.\n\nExamples:\n  usersctl list --deleted\n  usersctl restore alice\n"
       "  usersctl restore alice --as alice2",
       &core::RecycleBinService::restore_user});
  setup_purge(app, context);
  setup_restore(*app.get_subcommand("group"), context,  // registered after the group family
                {"NAME", "Group name (as it was deleted)", "Bring a deleted group back, with its members",
                 "Examples:\n  usersctl group restore dev\n  usersctl group restore dev --as dev-old",
                 &core::RecycleBinService::restore_group});
}

}  // namespace usersctl::cli
