#pragma once
// The lines of `export --format dump`: one JSON object a line, each with its `kind` first:
// "usersctl-dump" (the format's version), "settings", then every "group", then every "user"
// with its password hash, SSH keys and history stamps. What dump_reader reads back. Pure.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/group.hpp"
#include "model/ssh_key.hpp"
#include "model/user.hpp"

namespace usersctl::core {

constexpr int kDumpVersion = 1;

std::string dump_header_line();
// The stored settings (a key never set is absent: it keeps its default).
std::string dump_settings_line(const std::map<std::string, std::string>& settings);
// A group's and a user's line, appended to `out` (no newline): the caller reuses one buffer for
// every line, so a million-user dump allocates no string per line.
void append_dump_group_line(std::string& out, const model::Group& group);
void append_dump_user_line(std::string& out, const model::User& user, const std::optional<std::string>& hash,
                           const std::vector<model::SshKey>& keys);

}  // namespace usersctl::core
