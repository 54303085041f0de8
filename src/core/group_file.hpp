#pragma once
// /etc/group lines (name:password:gid:member,member) for `import --group-file`.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace usersctl::core {

struct GroupInput {
  std::size_t line = 0;
  std::string name;
  std::int64_t gid = 0;
  std::vector<std::string> members;
};

// Throws LineError for a malformed line.
std::vector<GroupInput> read_group_file(std::istream& in, const std::string& label);

}  // namespace usersctl::core
