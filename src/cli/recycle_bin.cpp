// restore, purge and group restore: the recycle bin that delete and group delete fill.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  return option->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
}

void setup_restore(CLI::App& app, Context& context) {
  struct Options {
    std::string username;
    std::string as;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("restore", "Bring a deleted user back from the recycle bin");
  command->add_option("USER", options->username, "User name (as it was deleted)")->required();
  auto* as =
      command->add_option("--as", options->as, "Restore under this name instead")->type_name("NEWNAME");
  command->footer(
      "Everything comes back: uid, password, SSH keys, attributes and the membership of every group\n"
      "that still exists (renamed or not). Exit 4 when the name or uid is taken now, 3 when the\n"
      "user is not in the bin.\n\nExamples:\n  usersctl list --deleted\n  usersctl restore alice\n"
      "  usersctl restore alice --as alice2");
  command->callback([&context, options, as] {
    context.action = [&context, options, as] {
      context.report(
          context.services().recycle_bin().restore_user(options->username, given(as, options->as)));
    };
  });
}

void setup_purge(CLI::App& app, Context& context) {
  struct Options {
    std::string username;
    std::int64_t older_than = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("purge", "Remove deleted users for good from the recycle bin");
  auto* user = command->add_option("USER", options->username, "User name (as it was deleted)");
  auto* older =
      command->add_option("--older-than", options->older_than, "Everything binned more than DAYS ago")
          ->type_name("DAYS")
          ->excludes(user);
  command->footer(
      "Final: the row, its hash, keys and memberships go (user.purged); its uid may be reused.\n"
      "`settings set recycle_days N` purges after N days on every write.\n\n"
      "Examples:\n  usersctl purge alice\n  usersctl purge --older-than 7");
  command->callback([&context, options, user, older] {
    context.action = [&context, options, user, older] {
      if (user->count() == 0 && older->count() == 0) {
        throw UsageError("purge: give a USER or --older-than DAYS");
      }
      auto& bin = context.services().recycle_bin();
      const auto changes =
          user->count() > 0 ? bin.purge_user(options->username) : bin.purge_older_than(options->older_than);
      if (changes.empty()) context.note("nothing in the recycle bin is that old");
      context.report(changes);
    };
  });
}

void setup_group_restore(CLI::App& group_app, Context& context) {
  struct Options {
    std::string name;
    std::string as;
  };
  auto options = std::make_shared<Options>();
  auto* command = group_app.add_subcommand("restore", "Bring a deleted group back, with its members");
  command->add_option("NAME", options->name, "Group name (as it was deleted)")->required();
  auto* as =
      command->add_option("--as", options->as, "Restore under this name instead")->type_name("NEWNAME");
  command->footer("Examples:\n  usersctl group restore dev\n  usersctl group restore dev --as dev-old");
  command->callback([&context, options, as] {
    context.action = [&context, options, as] {
      context.report(context.services().recycle_bin().restore_group(options->name, given(as, options->as)));
    };
  });
}

}  // namespace

void setup_recycle_bin_commands(CLI::App& app, Context& context) {
  setup_restore(app, context);
  setup_purge(app, context);
  setup_group_restore(*app.get_subcommand("group"), context);  // registered after the group family
}

}  // namespace usersctl::cli
