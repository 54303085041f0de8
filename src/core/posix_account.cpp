#include "core/posix_account.hpp"

#include "core/validation.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

void validate_posix_request(const PosixRequest& request) {
  if (request.gid && request.primary_group) {
    throw UsageError("--gid and --primary-group name the same thing: give one");
  }
  if (request.uid) validate_id(*request.uid, "uid");
  if (request.gid) validate_id(*request.gid, "gid");
  if (request.primary_group) validate_name(*request.primary_group, "group name");
  if (request.home) validate_path(*request.home, "home");
  if (request.shell) validate_path(*request.shell, "shell");
}

std::int64_t resolve_primary_gid(store::Store& store, const PosixRequest& request, std::int64_t own_uid) {
  if (request.primary_group) {
    const auto gid = store.group_gid(*request.primary_group);
    if (!gid) throw NotFound("group '" + *request.primary_group + "' does not exist");
    return *gid;
  }
  if (!request.gid || *request.gid == own_uid) return own_uid;
  if (!store.find_group_by_gid(*request.gid)) {
    throw NotFound("no group has gid " + std::to_string(*request.gid),
                   "a primary gid is a group's gid, or the user's own uid (its private group)");
  }
  return *request.gid;
}

std::string default_home(const AccountSettings& settings, std::string_view username) {
  const bool root = settings.home_base == "/";
  return settings.home_base + (root ? "" : "/") + std::string(username);
}

}  // namespace usersctl::core
