#pragma once
// Users and groups as /etc/passwd and /etc/group lines (passwd(5), group(5)), for
// `export --format passwd|group`. Pure functions: no store, no I/O.

#include <string>

#include "model/group.hpp"
#include "model/user.hpp"

namespace usersctl::core {

// "username:x:uid:gid:gecos:home:shell" from the fields (gecos is the display name). Throws
// Invalid naming the user when a field would hold ':' or a line break, so a line is either valid
// or not written.
std::string passwd_line(const model::User& user);

// "name:x:gid:member1,member2" with the members as stored (sorted).
std::string group_line(const model::Group& group);

}  // namespace usersctl::core
