#include "core/account_service.hpp"

#include "model/id_space.hpp"
#include "model/user_query.hpp"

namespace usersctl::core {
namespace {

// Thrown by a sink wrapper to leave a streaming store call early; caught right outside it.
struct StopStream {};

// posix: the posix branch adds the user fields gid, home and shell (and settings home_base,
// default_shell); until then: the gid of the group named like the user, else the uid (as
// `export --format passwd`), attrs.home or /home/NAME, attrs.shell or /bin/bash.
std::string attr_or(const model::User& user, const char* key, const std::string& fallback) {
  const auto it = user.attrs.find(key);
  return it == user.attrs.end() || it->second.empty() ? fallback : it->second;
}

// posix: the posix branch adds Store::find_user_by_uid; until then the list query's uid filter
// (an index lookup on users.uid).
std::optional<model::User> user_with_uid(store::Store& store, std::int64_t uid) {
  model::UserQuery query;
  query.where.push_back({"uid", std::to_string(uid)});
  query.limit = 1;
  std::optional<model::User> found;
  store.list_users(query, [&](const model::User& user) { found = user; });
  return found;
}

// posix: the posix branch adds Store::find_group_by_gid; until then a walk over the groups
// (few next to the users; a private group, the common case, has no record and ends the walk).
std::optional<model::Group> group_with_gid(store::Store& store, std::int64_t gid) {
  if (!store.id_in_use(model::IdSpace::Gid, gid)) return std::nullopt;
  std::optional<model::Group> found;
  store.list_groups(std::nullopt, [&](const model::Group& group) {
    if (group.gid == gid) found = group;
  });
  return found;
}

// The user's primary gid. Runs inside a read transaction.
// posix: user.gid once the field exists (this helper then goes).
std::int64_t primary_gid(store::Store& store, const model::User& user) {
  return store.group_gid(user.username).value_or(user.uid);
}

// Whether the user is served a synthesized private group: its gid is its uid and no group record
// has that gid. Runs inside a read transaction.
bool has_private_group(store::Store& store, const model::User& user, std::int64_t gid) {
  return gid == user.uid && !store.id_in_use(model::IdSpace::Gid, gid);
}

}  // namespace

PosixGroup posix_group(const model::Group& group) {
  return PosixGroup{group.name, group.gid, group.description, group.members, false};
}

// Runs inside a read transaction.
PosixUser AccountService::posix_user(model::User user) {
  store::Store& store = db_.records();
  PosixUser out;
  out.gid = primary_gid(store, user);
  out.home = attr_or(user, "home", "/home/" + user.username);  // posix: user.home
  out.shell = attr_or(user, "shell", "/bin/bash");             // posix: user.shell
  out.password_hash = store.password_hash(user.id);
  // posix: PosixUser gains ssh_keys = store.ssh_keys(user.id), for the privileged section
  // (userdb/database_source.cpp copies them into UserAccount::ssh_authorized_keys).
  out.private_group = has_private_group(store, user, out.gid);
  out.user = std::move(user);
  return out;
}

// Runs inside a read transaction; reads no hash (group enumeration asks this of every user).
std::optional<PosixGroup> AccountService::private_group_of(const std::optional<model::User>& user) {
  if (!user) return std::nullopt;
  const std::int64_t gid = primary_gid(db_.records(), *user);
  if (!has_private_group(db_.records(), *user, gid)) return std::nullopt;
  return PosixGroup{user->username, gid, {}, {user->username}, true};
}

std::optional<PosixUser> AccountService::user_by_name(std::string_view name) {
  std::optional<PosixUser> out;
  db_.read([&] {
    if (auto user = db_.records().find_user(name)) out = posix_user(std::move(*user));
  });
  return out;
}

std::optional<PosixUser> AccountService::user_by_uid(std::int64_t uid) {
  std::optional<PosixUser> out;
  db_.read([&] {
    if (auto user = user_with_uid(db_.records(), uid)) out = posix_user(std::move(*user));
  });
  return out;
}

std::optional<PosixGroup> AccountService::group_by_name(std::string_view name) {
  std::optional<PosixGroup> out;
  db_.read([&] {
    if (auto group = db_.records().find_group(name)) {
      out = posix_group(*group);
    } else {
      out = private_group_of(db_.records().find_user(name));
    }
  });
  return out;
}

std::optional<PosixGroup> AccountService::group_by_gid(std::int64_t gid) {
  std::optional<PosixGroup> out;
  db_.read([&] {
    // A private group's gid is its user's uid (private_group_of checks the user's gid is it).
    if (auto group = group_with_gid(db_.records(), gid)) {
      out = posix_group(*group);
    } else {
      out = private_group_of(user_with_uid(db_.records(), gid));
    }
  });
  return out;
}

void AccountService::for_each_user(const PosixUserSink& sink) {
  try {
    db_.read([&] {
      db_.records().list_users(model::UserQuery{}, [&](const model::User& user) {
        if (!sink(posix_user(user))) throw StopStream{};
      });
    });
  } catch (const StopStream&) {
  }
}

void AccountService::for_each_group(const PosixGroupSink& sink) {
  try {
    db_.read([&] {
      db_.records().list_groups(std::nullopt, [&](const model::Group& group) {
        if (!sink(posix_group(group))) throw StopStream{};
      });
      db_.records().list_users(model::UserQuery{}, [&](const model::User& user) {
        const auto group = private_group_of(user);
        if (group && !sink(*group)) throw StopStream{};
      });
    });
  } catch (const StopStream&) {
  }
}

void AccountService::memberships_of_user(const std::string& user, const std::optional<std::string>& group,
                                         const PosixMembershipSink& sink) {
  std::optional<PosixUser> found = user_by_name(user);
  if (!found) return;
  if (found->private_group && (!group || *group == user) && !sink(user, user)) return;
  for (const auto& name : found->user.groups) {
    if ((!group || *group == name) && !sink(user, name)) return;
  }
}

void AccountService::for_each_membership(const std::optional<std::string>& user,
                                         const std::optional<std::string>& group,
                                         const PosixMembershipSink& sink) {
  if (user) return memberships_of_user(*user, group, sink);
  if (group) {
    if (const auto found = group_by_name(*group)) {
      for (const auto& member : found->members)
        if (!sink(member, found->name)) return;
    }
    return;
  }
  for_each_group([&](const PosixGroup& found) {
    for (const auto& member : found.members)
      if (!sink(member, found.name)) return false;
    return true;
  });
}

}  // namespace usersctl::core
