#pragma once
// Splitting the colon-separated lines of /etc/passwd, /etc/shadow and /etc/group.

#include <string>
#include <string_view>
#include <vector>

namespace usersctl::core {

inline std::vector<std::string> split_colon_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(':', start);
    fields.emplace_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

}  // namespace usersctl::core
