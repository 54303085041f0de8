#pragma once
// The POSIX parts of a user (uid, primary group, home, shell) as add and update settle them: the
// defaults of the settings and the user private group, and the rules for explicit values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/settings.hpp"
#include "store/store.hpp"

namespace usersctl::core {

// What the caller gave; each absent one keeps the default (add) or the current value (update).
struct PosixRequest {
  std::optional<std::int64_t> uid;
  std::optional<std::int64_t> gid;
  std::optional<std::string> primary_group;
  std::optional<std::string> home;
  std::optional<std::string> shell;

  bool empty() const { return !uid && !gid && !primary_group && !home && !shell; }
};

// Before any transaction: Invalid for a malformed value, UsageError for --gid with --primary-group.
void validate_posix_request(const PosixRequest& request);

// The gid `--primary-group` or `--gid` names for a user whose uid is `own_uid`: a real group's
// gid, or own_uid itself (the private group). NotFound (exit 3) for a group that does not exist.
std::int64_t resolve_primary_gid(store::Store& store, const PosixRequest& request, std::int64_t own_uid);

// HOME_BASE/USERNAME.
std::string default_home(const AccountSettings& settings, std::string_view username);

}  // namespace usersctl::core
