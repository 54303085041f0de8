#include "core/group_service.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/id_allocator.hpp"
#include "core/validation.hpp"

namespace usersctl::core {

namespace {

void validate_names(const std::vector<std::string>& names, std::string_view what) {
  for (const auto& name : names) validate_name(name, what);
}

}  // namespace

Group GroupService::require_group(std::string_view name) {
  auto group = runner_.store().find_group(name);
  if (!group) throw NotFound("group '" + std::string(name) + "' does not exist");
  return std::move(*group);
}

std::vector<User> GroupService::require_users(const std::vector<std::string>& names) {
  std::vector<User> users;
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second) continue;
    auto user = runner_.store().find_user(name);
    if (!user) throw NotFound("user '" + name + "' does not exist", "no membership was changed");
    users.push_back(std::move(*user));
  }
  return users;
}

void GroupService::record_membership(Group group, const std::vector<User>& users, ChangeType type,
                                     std::vector<Change>& changes) {
  if (users.empty()) return;
  group.version += 1;
  group.updated_at = now_rfc3339();
  group.updated_by = runner_.actor();
  runner_.store().update_group(group);
  group = require_group(group.name);  // with its new member list
  for (const auto& user : users) {
    auto current = runner_.store().find_user(user.username);
    changes.push_back({type, current ? *current : user, group, {"members"}});
  }
}

std::vector<Change> GroupService::create(const NewGroup& request, IfExists if_exists) {
  validate_name(request.name, "group name");
  validate_description(request.description);
  return runner_.run([&](std::vector<Change>& changes) {
    store::Store& store = runner_.store();
    if (store.find_group(request.name)) {
      if (if_exists == IfExists::Skip) return;
      throw Conflict("group '" + request.name + "' already exists");
    }
    Group group;
    group.name = request.name;
    group.description = request.description;
    group.gid = allocate_id(store, store::IdSpace::Gid, request.gid);
    group.created_at = group.updated_at = now_rfc3339();
    group.created_by = group.updated_by = runner_.actor();
    group.id = store.insert_group(group);
    changes.push_back({ChangeType::GroupCreated, std::nullopt, group, {}});
  });
}

std::vector<Change> GroupService::remove(std::string_view name, MemberPolicy members, IfMissing if_missing) {
  validate_name(name, "group name");
  return runner_.run([&](std::vector<Change>& changes) {
    auto group = runner_.store().find_group(name);
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
    runner_.store().delete_group(group->id);
    changes.push_back({ChangeType::GroupDeleted, std::nullopt, *group, {}});
  });
}

std::vector<Change> GroupService::rename(std::string_view old_name, std::string_view new_name) {
  validate_name(old_name, "group name");
  validate_name(new_name, "new group name");
  return runner_.run([&](std::vector<Change>& changes) {
    Group group = require_group(old_name);
    if (old_name == new_name) return;
    if (runner_.store().find_group(new_name)) {
      throw Conflict("group '" + std::string(new_name) + "' already exists");
    }
    group.name = std::string(new_name);
    group.version += 1;
    group.updated_at = now_rfc3339();
    group.updated_by = runner_.actor();
    runner_.store().update_group(group);
    changes.push_back({ChangeType::GroupUpdated, std::nullopt, group, {"name"}});
  });
}

std::vector<Change> GroupService::add_members(std::string_view name, const std::vector<std::string>& users) {
  validate_name(name, "group name");
  validate_names(users, "user name");
  return runner_.run([&](std::vector<Change>& changes) {
    const Group group = require_group(name);
    std::vector<User> added;
    for (auto& user : require_users(users)) {
      if (runner_.store().add_member(group.id, user.id)) added.push_back(std::move(user));
    }
    record_membership(group, added, ChangeType::MemberAdded, changes);
  });
}

std::vector<Change> GroupService::remove_members(std::string_view name,
                                                 const std::vector<std::string>& users) {
  validate_name(name, "group name");
  validate_names(users, "user name");
  return runner_.run([&](std::vector<Change>& changes) {
    const Group group = require_group(name);
    std::vector<User> removed;
    for (auto& user : require_users(users)) {
      if (runner_.store().remove_member(group.id, user.id)) removed.push_back(std::move(user));
    }
    record_membership(group, removed, ChangeType::MemberRemoved, changes);
  });
}

std::vector<Change> GroupService::set_members(std::string_view name, const std::vector<std::string>& users) {
  validate_name(name, "group name");
  validate_names(users, "user name");
  return runner_.run([&](std::vector<Change>& changes) {
    const Group group = require_group(name);
    const std::vector<User> wanted = require_users(users);
    std::vector<User> added;
    std::vector<User> removed;
    for (const auto& member : group.members) {
      const bool keep =
          std::any_of(wanted.begin(), wanted.end(), [&](const User& u) { return u.username == member; });
      if (keep) continue;
      auto user = runner_.store().find_user(member);
      if (user && runner_.store().remove_member(group.id, user->id)) removed.push_back(std::move(*user));
    }
    for (const auto& user : wanted) {
      if (runner_.store().add_member(group.id, user.id)) added.push_back(user);
    }
    if (added.empty() && removed.empty()) return;
    record_membership(group, removed, ChangeType::MemberRemoved, changes);
    record_membership(require_group(name), added, ChangeType::MemberAdded, changes);
  });
}

Group GroupService::show(std::string_view name) {
  validate_name(name, "group name");
  Group group;
  runner_.store().read([&] { group = require_group(name); });
  return group;
}

void GroupService::list(const std::optional<std::string>& member,
                        const std::function<void(const Group&)>& sink) {
  if (member) validate_name(*member, "user name");
  runner_.store().read([&] {
    if (member && !runner_.store().find_user(*member)) {
      throw NotFound("user '" + *member + "' does not exist");
    }
    runner_.store().list_groups(member, sink);
  });
}

}  // namespace usersctl::core
