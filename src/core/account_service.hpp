#pragma once
// The records as a host sees them (passwd, group, shadow), for the userdb service: each user with
// its primary gid, home and shell, and the user private groups, synthesized where no group record
// exists. Read-only; every call is one read transaction, so changes show at once.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/group.hpp"
#include "model/user.hpp"
#include "store/database.hpp"

namespace usersctl::core {

struct PosixUser {
  model::User user;  // user.groups: the groups it is a member of
  std::int64_t gid = 0;
  std::string home;
  std::string shell;
  std::optional<std::string> password_hash;
  std::vector<std::string> ssh_keys;  // authorized_keys lines, for the privileged section
  // No group record has `gid`: the user private group is synthesized (named like the user).
  bool private_group = false;
};

struct PosixGroup {
  std::string name;
  std::int64_t gid = 0;
  std::string description;
  std::vector<std::string> members;
  bool synthesized = false;  // a user private group
};

// Sinks return false to stop early.
using PosixUserSink = std::function<bool(const PosixUser&)>;
using PosixGroupSink = std::function<bool(const PosixGroup&)>;
using PosixMembershipSink = std::function<bool(const std::string& user, const std::string& group)>;

class AccountService {
 public:
  explicit AccountService(store::Database& db) : db_(db) {}

  std::optional<PosixUser> user_by_name(std::string_view name);
  std::optional<PosixUser> user_by_uid(std::int64_t uid);
  std::optional<PosixGroup> group_by_name(std::string_view name);
  std::optional<PosixGroup> group_by_gid(std::int64_t gid);
  // Streams every user by name; then (groups) every group record by name and every synthesized
  // private group after them.
  void for_each_user(const PosixUserSink& sink);
  void for_each_group(const PosixGroupSink& sink);
  // Every (user, group) membership, the private groups included, filtered to `user` and/or `group`.
  void for_each_membership(const std::optional<std::string>& user, const std::optional<std::string>& group,
                           const PosixMembershipSink& sink);

 private:
  // One store lookup each, run inside the read transaction.
  using FindUser = std::function<std::optional<model::User>(store::Store&)>;
  using FindGroup = std::function<std::optional<model::Group>(store::Store&)>;

  std::optional<PosixUser> read_user(const FindUser& find);
  // The group `find` finds, else the private group of the user `owner` finds.
  std::optional<PosixGroup> read_group(const FindGroup& find, const FindUser& owner);
  PosixUser posix_user(model::User user);
  std::optional<PosixGroup> private_group_of(const std::optional<model::User>& user);
  void memberships_of_user(const std::string& user, const std::optional<std::string>& group,
                           const PosixMembershipSink& sink);

  store::Database& db_;
};

// The group record as a PosixGroup.
PosixGroup posix_group(const model::Group& group);

}  // namespace usersctl::core
