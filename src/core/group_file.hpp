#pragma once
// /etc/group lines (name:password:gid:member,member) for `import --group-file`.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/kept_state.hpp"

namespace usersctl::core {

struct GroupInput {
  std::size_t line = 0;
  std::string name;
  std::int64_t gid = 0;
  std::vector<std::string> members;
  std::string description;        // a dump or LDIF only
  std::optional<KeptState> kept;  // a dump only: stamps and version to keep
};

// Throws LineError for a malformed line.
std::vector<GroupInput> read_group_file(std::istream& in, const std::string& label);

}  // namespace usersctl::core
