#pragma once
// Users and groups as /etc/passwd and /etc/group lines (passwd(5), group(5)), for
// `export --format passwd|group`. Pure functions: no store, no I/O.

#include <cstdint>
#include <optional>
#include <string>

#include "model/group.hpp"
#include "model/user.hpp"

namespace usersctl::core {

// Used when the user has no (or an empty) attrs.home / attrs.shell.
std::string default_home(const model::User& user);  // /home/USERNAME
inline constexpr const char* kDefaultShell = "/bin/sh";

// "username:x:uid:gid:gecos:home:shell". The gid follows the user private group convention
// (useradd's USERGROUPS_ENAB): the gid of the group named like the user when there is one
// (`private_gid`), else the uid. gecos is the display name; home and shell come from
// attrs.home and attrs.shell when set and not empty. Throws Invalid naming the user when a
// field would hold ':' or a line break (validation keeps them out of names and the display
// name, but not out of attribute values), so a line is either valid or not written.
std::string passwd_line(const model::User& user, std::optional<std::int64_t> private_gid);

// "name:x:gid:member1,member2" with the members as stored (sorted).
std::string group_line(const model::Group& group);

}  // namespace usersctl::core
