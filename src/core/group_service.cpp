#include "core/group_service.hpp"

#include <algorithm>
#include <set>

#include "core/id_allocator.hpp"
#include "core/record_change.hpp"
#include "core/recycle_bin.hpp"
#include "core/settings.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

void validate_names(const std::vector<std::string>& names, std::string_view what) {
  for (const auto& name : names) validate_name(name, what);
}

}  // namespace

model::Group GroupService::require_group(std::string_view name) {
  auto group = db_.records().find_group(name);
  if (!group) throw NotFound("group '" + std::string(name) + "' does not exist");
  return std::move(*group);
}

std::vector<GroupService::Member> GroupService::require_users(const std::vector<std::string>& names) {
  std::vector<Member> users;
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second) continue;
    auto user = db_.records().find_user(name);
    if (!user) throw NotFound("user '" + name + "' does not exist", "no membership was changed");
    users.push_back({user->id, name});
  }
  return users;
}

void GroupService::record_membership(model::Group group, const std::vector<std::string>& usernames,
                                     model::ChangeType type, std::vector<model::Change>& changes) {
  if (usernames.empty()) return;
  stamp_change(group, runner_.actor());
  db_.records().update_group(group);
  group = require_group(group.name);  // with its new member list
  // Each event carries the count after its own change: the last one's is the group's now.
  const auto count = static_cast<std::int64_t>(group.members.size());
  const std::int64_t step = type == model::ChangeType::MemberAdded ? 1 : -1;
  std::int64_t after = count - step * static_cast<std::int64_t>(usernames.size() - 1);
  changes.reserve(changes.size() + usernames.size());
  for (const auto& username : usernames) {
    auto user = db_.records().find_user(username);  // as it is now, in this transaction
    if (!user) throw InternalError("user '" + username + "' vanished during its membership change");
    changes.push_back(model::membership_change(type, std::move(*user), group, after));
    after += step;
  }
}

std::vector<model::Change> GroupService::create(const NewGroup& request, IfExists if_exists) {
  validate_name(request.name, "group name");
  validate_description(request.description);
  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    if (exists_already(store.find_group(request.name).has_value(), if_exists,
                       "group '" + request.name + "'")) {
      return;
    }
    model::Group group;
    group.name = request.name;
    group.description = request.description;
    group.gid = allocate_id(store, model::IdSpace::Gid, read_account_settings(store).gid_range, request.gid);
    group.created_at = group.updated_at = util::now_rfc3339();
    group.created_by = group.updated_by = runner_.actor();
    group.id = store.insert_group(group);
    changes.push_back({model::ChangeType::GroupCreated, std::nullopt, group, {}});
  });
}

std::vector<model::Change> GroupService::remove(std::string_view name, MemberPolicy members,
                                                IfMissing if_missing) {
  validate_name(name, "group name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    auto group = db_.records().find_group(name);
    if (!group) {
      if (if_missing == IfMissing::Skip) return;
      throw NotFound("group '" + std::string(name) + "' does not exist");
    }
    if (!group->members.empty() && members == MemberPolicy::RefuseMembers) {
      const auto count = group->members.size();
      throw Conflict(
          "group '" + group->name + "' has " + std::to_string(count) + (count == 1 ? " member" : " members"),
          "remove them first, or pass --force to delete the group and its memberships");
    }
    // To the recycle bin, member list and all (`group restore`), unless recycle_days is 0.
    bin_or_delete_group(db_.records(), *group, runner_.actor(), false);
    changes.push_back({model::ChangeType::GroupDeleted, std::nullopt, *group, {}});
    // Gone for good (recycle_days 0): its event joins its history under the negated id.
    const auto binned = db_.records().find_binned_group(group->name);
    if (!binned || binned->id != group->id) changes.back().group->id = -group->id;
  });
}

std::vector<model::Change> GroupService::rename(std::string_view old_name, std::string_view new_name) {
  validate_name(old_name, "group name");
  validate_name(new_name, "new group name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    model::Group group = require_group(old_name);
    if (old_name == new_name) return;
    const model::Group before = group;
    if (db_.records().find_group(new_name)) {
      throw Conflict("group '" + std::string(new_name) + "' already exists");
    }
    group.name = std::string(new_name);
    stamp_change(group, runner_.actor());
    db_.records().update_group(group);
    changes.push_back({model::ChangeType::GroupUpdated, std::nullopt, group, {"name"}});
    changes.back().group_before = std::make_shared<const model::Group>(before);
  });
}

std::vector<model::Change> GroupService::add_members(std::string_view name,
                                                     const std::vector<std::string>& users) {
  return change_members(name, users, model::ChangeType::MemberAdded);
}

std::vector<model::Change> GroupService::remove_members(std::string_view name,
                                                        const std::vector<std::string>& users) {
  return change_members(name, users, model::ChangeType::MemberRemoved);
}

// Adds (MemberAdded) or removes the users; one event for each one whose membership changed.
std::vector<model::Change> GroupService::change_members(std::string_view name,
                                                        const std::vector<std::string>& users,
                                                        model::ChangeType type) {
  validate_name(name, "group name");
  validate_names(users, "user name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    const model::Group group = require_group(name);
    std::vector<std::string> changed;
    for (auto& user : require_users(users)) {
      const bool done = type == model::ChangeType::MemberAdded ? store.add_member(group.id, user.id)
                                                               : store.remove_member(group.id, user.id);
      if (done) changed.push_back(std::move(user.username));
    }
    record_membership(group, changed, type, changes);
  });
}

std::vector<model::Change> GroupService::set_members(std::string_view name,
                                                     const std::vector<std::string>& users) {
  validate_name(name, "group name");
  validate_names(users, "user name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    const model::Group group = require_group(name);
    const std::vector<Member> wanted = require_users(users);
    std::set<std::string> wanted_names;
    for (const auto& user : wanted) wanted_names.insert(user.username);
    std::vector<std::string> added;
    std::vector<std::string> removed;
    for (const auto& member : group.members) {
      if (wanted_names.count(member) > 0) continue;
      auto user = db_.records().find_user(member);
      if (user && db_.records().remove_member(group.id, user->id)) removed.push_back(member);
    }
    for (const auto& user : wanted) {
      if (db_.records().add_member(group.id, user.id)) added.push_back(user.username);
    }
    if (added.empty() && removed.empty()) return;
    record_membership(group, removed, model::ChangeType::MemberRemoved, changes);
    record_membership(require_group(name), added, model::ChangeType::MemberAdded, changes);
  });
}

model::Group GroupService::show(std::string_view name) {
  validate_name(name, "group name");
  model::Group group;
  db_.read([&] { group = require_group(name); });
  return group;
}

void GroupService::list(const std::optional<std::string>& member,
                        const std::function<void(const model::Group&)>& sink) {
  if (member) validate_name(*member, "user name");
  db_.read([&] {
    if (member && !db_.records().user_exists(*member)) {
      throw NotFound("user '" + *member + "' does not exist");
    }
    db_.records().list_groups(member, sink);
  });
}

}  // namespace usersctl::core
