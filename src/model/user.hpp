#pragma once
// The user record as the domain sees it. `id` is the surrogate key rows are joined by,
// so renames keep memberships and history.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/record_stamps.hpp"

namespace usersctl::model {

using Attributes = std::map<std::string, std::string>;

struct User : RecordStamps {
  std::int64_t id = 0;
  std::string username;
  std::int64_t uid = 0;
  // The primary group: a usergroups gid, or the uid itself for the user private group (a group
  // named like the user with the user as its only member, synthesized by readers, not a row).
  std::int64_t gid = 0;
  std::string name;
  std::optional<std::string> email;
  std::string home;                   // absolute path
  std::string shell;                  // absolute path
  std::vector<std::string> groups;    // names, sorted
  std::vector<std::string> ssh_keys;  // canonical authorized_keys lines, oldest first
  Attributes attrs;
  bool disabled = false;
  // The account's validity window (RFC 3339 UTC; absent: no bound) and when the password was
  // last set. Outside the window the account is expired: no password or key lets it in.
  std::optional<std::string> valid_from = std::nullopt;
  std::optional<std::string> expires_at = std::nullopt;
  std::optional<std::string> password_changed_at = std::nullopt;
  // Set while the user is in the recycle bin.
  std::optional<std::string> deleted_at = std::nullopt;
  std::optional<std::string> deleted_by = std::nullopt;
};

}  // namespace usersctl::model
