#include "core/passwd_format.hpp"

#include <string_view>

#include "util/errors.hpp"

namespace usersctl::core {

namespace {

// A field of a colon-separated, line-based file must hold neither separator. Validation keeps
// them out of every field, so this guards rows written by hand or by an older usersctl.
void check_field(const model::User& user, std::string_view field, std::string_view value) {
  if (value.find_first_of(":\n\r") == std::string_view::npos) return;
  throw Invalid("user '" + user.username + "': " + std::string(field) +
                    " contains ':' or a line break, which has no place in a passwd line",
                "fix it with 'usersctl update " + user.username + "'");
}

}  // namespace

std::string passwd_line(const model::User& user) {
  check_field(user, "the user name", user.username);
  check_field(user, "the display name", user.name);
  check_field(user, "home", user.home);
  check_field(user, "shell", user.shell);

  std::string line = user.username;
  line += ":x:";
  line += std::to_string(user.uid);
  line += ':';
  line += std::to_string(user.gid);
  line += ':';
  line += user.name;
  line += ':';
  line += user.home;
  line += ':';
  line += user.shell;
  return line;
}

std::string group_line(const model::Group& group) {
  std::string line = group.name;
  line += ":x:";
  line += std::to_string(group.gid);
  line += ':';
  const char* separator = "";
  for (const auto& member : group.members) {
    line += separator;
    line += member;
    separator = ",";
  }
  return line;
}

}  // namespace usersctl::core
