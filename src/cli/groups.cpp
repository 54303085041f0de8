// group create, delete, rename, add, remove, set, list, show.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <set>

#include "cli/command_setup.hpp"
#include "cli/mutation_plan.hpp"
#include "cli/numeric_option.hpp"
#include "output/records.hpp"

namespace usersctl::cli {

namespace {

std::vector<std::string> group_fields() {
  const output::Record sample = output::group_record(model::Group{});
  return field_names(sample);
}

void setup_create(CLI::App& group_app, Context& context) {
  struct Options {
    core::NewGroup group;
    std::int64_t gid = 0;
    bool if_not_exists = false;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = group_app.add_subcommand("create", "Create a group");
  command->add_option("NAME", options->group.name, "Group name")->required();
  auto* gid = decimal_id(
      command->add_option("--gid", options->gid, "Numeric group id (default: next free from 1000)"));
  command->add_option("--description", options->group.description, "What the group is for");
  command->add_flag("--if-not-exists", options->if_not_exists, "Succeed without change if the group exists");
  add_dry_run(*command, options->dry_run);
  command->footer("Example:\n  usersctl group create developers --description 'Build team'");
  on_run(*command, context, [&context, options, gid] {
    core::NewGroup group = options->group;
    if (gid->count() > 0) group.gid = options->gid;
    const auto if_exists = options->if_not_exists ? core::IfExists::Skip : core::IfExists::Fail;
    const auto changes = run_mutation(context, {options->dry_run, false},
                                      [&] { return context.groups().create(group, if_exists); });
    if (!changes) return;
    if (changes->empty()) context.note("group '" + group.name + "' already exists; nothing to do");
    context.report(*changes);
  });
}

void setup_delete(CLI::App& group_app, Context& context) {
  struct Options {
    std::string name;
    bool force = false;
    bool if_exists = false;
    Safety safety;
  };
  auto options = std::make_shared<Options>();
  auto* command = group_app.add_subcommand("delete", "Delete a group (refused while it has members)");
  command->add_option("NAME", options->name, "Group name")->required();
  command->add_flag("--force", options->force, "Also remove its memberships (the users stay)");
  command->add_flag("--if-exists", options->if_exists, "Succeed without change if the group does not exist");
  add_safety_options(*command, options->safety, "Do not ask on a terminal before removing memberships");
  command->footer(
      "On a terminal, --force on a group with members asks first (y/N); --yes skips the question.\n\n"
      "Examples:\n  usersctl group delete interns\n"
      "  usersctl group delete contractors --force --if-exists   # drop members too; fine if already gone");
  on_run(*command, context, [&context, options] {
    const auto members =
        options->force ? core::MemberPolicy::RemoveMembers : core::MemberPolicy::RefuseMembers;
    const auto if_missing = options->if_exists ? core::IfMissing::Skip : core::IfMissing::Fail;
    const auto changes = run_mutation(
        context, options->safety, [&] { return context.groups().remove(options->name, members, if_missing); },
        [](const std::vector<model::Change>& planned) -> std::optional<std::string> {
          if (planned.empty() || planned.front().group->members.empty()) return std::nullopt;
          const auto& group = *planned.front().group;
          const auto n = group.members.size();
          return "delete group '" + group.name + "' and its " + std::to_string(n) +
                 (n == 1 ? " membership: " : " memberships: ") + first_names(group.members);
        });
    if (changes) context.report(*changes);
  });
}

void setup_rename(CLI::App& group_app, Context& context) {
  struct Options {
    std::string old_name;
    std::string new_name;
    bool dry_run = false;
  };
  auto names = std::make_shared<Options>();
  auto* command = group_app.add_subcommand("rename", "Rename a group (memberships stay)");
  command->add_option("OLD", names->old_name, "Current name")->required();
  command->add_option("NEW", names->new_name, "New name")->required();
  add_dry_run(*command, names->dry_run);
  command->footer("Example:\n  usersctl group rename devs developers");
  on_run(*command, context, [&context, names] {
    const auto changes = run_mutation(context, {names->dry_run, false}, [&] {
      return context.groups().rename(names->old_name, names->new_name);
    });
    if (changes) context.report(*changes);
  });
}

enum class MembershipCommand { Add, Remove, Set };

// Says which users the command left as they were, in its own words: removing a non-member is
// "not a member", not "already has that membership". Still exit 0: add and remove are idempotent.
void note_unchanged(Context& context, MembershipCommand kind, const std::string& group,
                    const std::vector<std::string>& users, const std::vector<model::Change>& changes) {
  const std::string quoted_group = "group '" + group + "'";
  const std::string outcome = changes.empty() ? "; nothing to do" : "";
  if (kind == MembershipCommand::Set) {
    if (changes.empty()) context.note(quoted_group + " already has exactly these members; nothing to do");
    return;
  }
  std::set<std::string> said;
  for (const auto& name : users) {
    const bool changed = std::any_of(changes.begin(), changes.end(), [&](const model::Change& change) {
      return change.user && change.user->username == name;
    });
    if (changed || !said.insert(name).second) continue;
    context.note("'" + name + "' " +
                 (kind == MembershipCommand::Add ? "is already a member of " : "is not a member of ") +
                 quoted_group + outcome);
  }
}

template <MembershipCommand kind>
void setup_membership(CLI::App& group_app, Context& context) {
  struct Options {
    std::string group;
    std::vector<std::string> users;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = nullptr;
  switch (kind) {
    case MembershipCommand::Add:
      command =
          group_app.add_subcommand("add", "Add users to a group (all or none; members already in are kept)");
      break;
    case MembershipCommand::Remove:
      command = group_app.add_subcommand("remove", "Remove users from a group (all or none)");
      break;
    case MembershipCommand::Set:
      command = group_app.add_subcommand("set", "Make the membership exactly these users (as gpasswd -M)");
      break;
  }
  command->add_option("GROUP", options->group, "Group name")->required();
  auto* users = command->add_option("USER", options->users, "User names");
  if (kind != MembershipCommand::Set) users->required();
  add_dry_run(*command, options->dry_run);
  switch (kind) {
    case MembershipCommand::Add:
      command->footer("Example:\n  usersctl group add developers alice bob");
      break;
    case MembershipCommand::Remove:
      command->footer("Example:\n  usersctl group remove developers bob");
      break;
    case MembershipCommand::Set:
      command->footer(
          "Examples:\n  usersctl group set developers alice carol   # now exactly these two\n"
          "  usersctl group set developers               # no members");
      break;
  }
  on_run(*command, context, [&context, options] {
    auto& groups = context.groups();
    const auto changes = run_mutation(context, {options->dry_run, false}, [&] {
      switch (kind) {
        case MembershipCommand::Add:
          return groups.add_members(options->group, options->users);
        case MembershipCommand::Remove:
          return groups.remove_members(options->group, options->users);
        case MembershipCommand::Set:
          break;
      }
      return groups.set_members(options->group, options->users);
    });
    if (!changes) return;
    context.report(*changes);
    note_unchanged(context, kind, options->group, options->users, *changes);
  });
}

void setup_list(CLI::App& group_app, Context& context) {
  auto member = std::make_shared<std::string>();
  auto* command = group_app.add_subcommand("list", "List groups");
  auto* user = command->add_option("--user", *member, "Only groups this user belongs to");
  command->footer(
      "Examples:\n  usersctl group list\n  usersctl group list --user alice -o json | jq -r '.[].name'");
  on_run(*command, context, [&context, member, user] {
    auto writer = context.writer(output::Shape::Many, output::group_table_columns(), group_fields());
    const auto filter = user->count() > 0 ? std::optional<std::string>(*member) : std::nullopt;
    context.groups().list(filter,
                          [&](const model::Group& group) { writer->write(output::group_record(group)); });
    writer->finish();
  });
}

void setup_show(CLI::App& group_app, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* command = group_app.add_subcommand("show", "Show one group with its members");
  command->add_option("NAME", *name, "Group name")->required();
  command->footer("Example:\n  usersctl group show developers | jq -r '.members[]'");
  on_run(*command, context, [&context, name] {
    const model::Group group = context.groups().show(*name);
    auto writer = context.writer(output::Shape::One, output::group_table_columns(), group_fields());
    writer->write(output::group_record(group));
    writer->finish();
  });
}

}  // namespace

void setup_group_commands(CLI::App& app, Context& context) {
  add_command_family(
      app, context,
      {"group", "Manage groups and memberships",
       "Examples:\n  usersctl group create developers\n  usersctl group add developers alice bob\n"
       "  usersctl group show developers"},
      {setup_create, setup_delete, setup_rename, setup_membership<MembershipCommand::Add>,
       setup_membership<MembershipCommand::Remove>, setup_membership<MembershipCommand::Set>, setup_list,
       setup_show});
}

}  // namespace usersctl::cli
