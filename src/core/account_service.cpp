#include "core/account_service.hpp"

#include "model/id_space.hpp"
#include "model/user_query.hpp"

namespace usersctl::core {
namespace {

// Thrown by a sink wrapper to leave a streaming store call early; caught right outside it.
struct StopStream {};

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
  out.gid = user.gid;
  out.home = user.home;
  out.shell = user.shell;
  out.password_hash = store.password_hash(user.id);
  out.ssh_keys = user.ssh_keys;  // the row's canonical lines: no second query per lookup
  out.private_group = has_private_group(store, user, out.gid);
  out.user = std::move(user);
  return out;
}

// Runs inside a read transaction; reads no hash (group enumeration asks this of every user).
std::optional<PosixGroup> AccountService::private_group_of(const std::optional<model::User>& user) {
  if (!user) return std::nullopt;
  const std::int64_t gid = user->gid;
  if (!has_private_group(db_.records(), *user, gid)) return std::nullopt;
  return PosixGroup{user->username, gid, {}, {user->username}, true};
}

std::optional<PosixUser> AccountService::read_user(const FindUser& find) {
  std::optional<PosixUser> out;
  db_.read([&] {
    if (auto user = find(db_.records())) out = posix_user(std::move(*user));
  });
  return out;
}

std::optional<PosixGroup> AccountService::read_group(const FindGroup& find, const FindUser& owner) {
  std::optional<PosixGroup> out;
  db_.read([&] {
    if (auto group = find(db_.records())) {
      out = posix_group(*group);
    } else {
      out = private_group_of(owner(db_.records()));
    }
  });
  return out;
}

std::optional<PosixUser> AccountService::user_by_name(std::string_view name) {
  return read_user([&](store::Store& store) { return store.find_user(name); });
}

std::optional<PosixUser> AccountService::user_by_uid(std::int64_t uid) {
  return read_user([&](store::Store& store) { return store.find_user_by_uid(uid); });
}

std::optional<PosixGroup> AccountService::group_by_name(std::string_view name) {
  return read_group([&](store::Store& store) { return store.find_group(name); },
                    [&](store::Store& store) { return store.find_user(name); });
}

// A private group's gid is its user's uid (private_group_of checks the user's gid is it).
std::optional<PosixGroup> AccountService::group_by_gid(std::int64_t gid) {
  return read_group([&](store::Store& store) { return store.find_group_by_gid(gid); },
                    [&](store::Store& store) { return store.find_user_by_uid(gid); });
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
