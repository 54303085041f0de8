#include "core/posix_input.hpp"

#include "core/field_change.hpp"
#include "core/posix_account.hpp"
#include "core/validation.hpp"

namespace usersctl::core {

void validate_posix_input(const UserInput& in) {
  if (in.gid) validate_id(*in.gid, "gid");
  if (in.home) validate_path(*in.home, "home");
  if (in.shell) validate_path(*in.shell, "shell");
}

std::optional<std::string> primary_gid_problem(store::Store& store, const UserInput& in, std::int64_t uid) {
  if (!in.gid || *in.gid == uid || store.find_group_by_gid(*in.gid)) return std::nullopt;
  return "gid " + std::to_string(*in.gid) +
         " is neither the uid nor the gid of a group (give the group in --group-file or the database)";
}

void apply_posix_fields(model::User& user, const UserInput& in, const AccountSettings& settings) {
  user.gid = in.gid.value_or(user.uid);
  user.home = in.home.value_or(default_home(settings, user.username));
  user.shell = in.shell.value_or(settings.default_shell);
}

void update_posix_fields(model::User& current, std::int64_t old_uid, const UserInput& in,
                         std::vector<std::string>& changed) {
  const std::int64_t gid = in.gid.value_or(current.gid == old_uid ? current.uid : current.gid);
  change_field(current.gid, gid, "gid", changed);
  if (in.home) change_field(current.home, *in.home, "home", changed);
  if (in.shell) change_field(current.shell, *in.shell, "shell", changed);
}

}  // namespace usersctl::core
