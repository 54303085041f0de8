#pragma once
// The accounts the userdb service serves, and the interface it reads them through.
// Deliberately independent of core/store: the service only needs these plain fields, and an
// adapter over the Store (or a fixed list in tests) implements AccountSource.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace usersctl::userdb {

struct UserAccount {
  std::string name;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string gecos;  // real name
  std::string home;
  std::string shell;
  std::optional<std::string> email;
  bool locked = false;  // disabled: no authentication, whatever the hash
  std::optional<std::string> hashed_password;
  std::vector<std::string> ssh_authorized_keys;
  std::vector<std::string> member_of;  // supplementary group names
  // The validity window in µs since the epoch (notBeforeUSec, notAfterUSec): PAM refuses a login
  // outside it (pam_systemd_home / pam_unix through nss-systemd's shadow expiry).
  std::optional<std::uint64_t> not_before_usec = std::nullopt;
  std::optional<std::uint64_t> not_after_usec = std::nullopt;
};

struct GroupAccount {
  std::string name;
  std::uint32_t gid = 0;
  std::optional<std::string> description;
  std::vector<std::string> members;
  // A synthesized user private group: named like its user, gid = the user's uid. It goes with
  // its user: a user the service withholds has no private group served either.
  bool private_group = false;
};

// What a lookup names a record by: its name or its id (getpwnam/getpwuid, getgrnam/getgrgid).
using AccountKey = std::variant<std::string, std::uint32_t>;

// A membership lookup's filter: only this user's (or group's) pairs when set.
using NameFilter = std::optional<std::string>;

// Sinks return false to stop the enumeration early (the peer went away, or the deadline passed).
using UserSink = std::function<bool(const UserAccount&)>;
using GroupSink = std::function<bool(const GroupAccount&)>;
using MembershipSink = std::function<bool(const std::string& user, const std::string& group)>;

// Where the service reads accounts from.
//
// Threads: the service calls an implementation from several threads at once (a fixed pool of
// workers), so every member must be safe to call concurrently; each call may run on its own
// database connection. for_each_* must stream: call the sink as rows arrive, never collect the
// whole directory first, so the service's memory stays flat whatever the directory size.
//
// Failure: a call may throw usersctl::Unavailable (core/errors.hpp) when the database is slow or
// gone; the service then answers io.systemd.UserDatabase.ServiceNotAvailable at once. A call that
// merely takes too long is abandoned by the service at its deadline (the result is discarded), so
// implementations should also bound their own waits (e.g. a busy timeout) to free the worker.
//
// User private groups: when a user has no group record of its own gid, the implementation itself
// synthesizes the user private group -- named like the user, gid = the user's gid, the user its only
// member -- in find_group, for_each_group and for_each_membership alike. The service adds
// nothing, so that lookups by name, by id and enumeration always agree.
//
// Memberships: for_each_membership yields every (user, group) pair where the user is a member
// of the group (group.members / user.member_of), filtered to the given user and/or group when set.
class AccountSource {
 public:
  virtual ~AccountSource() = default;

  virtual std::optional<UserAccount> find_user(const AccountKey& key) = 0;
  virtual std::optional<GroupAccount> find_group(const AccountKey& key) = 0;

  virtual void for_each_user(const UserSink& sink) = 0;
  virtual void for_each_group(const GroupSink& sink) = 0;
  virtual void for_each_membership(const NameFilter& user, const NameFilter& group,
                                   const MembershipSink& sink) = 0;

  std::optional<UserAccount> find_user_by_name(const std::string& name) { return find_user(name); }
  std::optional<UserAccount> find_user_by_uid(std::uint32_t uid) { return find_user(uid); }
  std::optional<GroupAccount> find_group_by_name(const std::string& name) { return find_group(name); }
  std::optional<GroupAccount> find_group_by_gid(std::uint32_t gid) { return find_group(gid); }
};

}  // namespace usersctl::userdb
