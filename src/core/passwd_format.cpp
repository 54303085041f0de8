#include "core/passwd_format.hpp"

#include <string_view>

#include "model/errors.hpp"

namespace usersctl::core {

namespace {

const std::string* non_empty_attr(const model::User& user, const std::string& key) {
  const auto it = user.attrs.find(key);
  return it == user.attrs.end() || it->second.empty() ? nullptr : &it->second;
}

// A field of a colon-separated, line-based file must hold neither separator.
void check_field(const model::User& user, std::string_view field, std::string_view value) {
  if (value.find_first_of(":\n\r") == std::string_view::npos) return;
  throw Invalid("user '" + user.username + "': " + std::string(field) +
                    " contains ':' or a line break, which has no place in a passwd line",
                "fix it with 'usersctl update " + user.username + " --attr ...' or --unset-attr");
}

}  // namespace

std::string default_home(const model::User& user) { return "/home/" + user.username; }

std::string passwd_line(const model::User& user, std::optional<std::int64_t> private_gid) {
  const std::string* home_attr = non_empty_attr(user, "home");
  const std::string* shell_attr = non_empty_attr(user, "shell");
  const std::string home = home_attr ? *home_attr : default_home(user);
  const std::string shell = shell_attr ? *shell_attr : kDefaultShell;
  check_field(user, "the user name", user.username);
  check_field(user, "the display name", user.name);
  check_field(user, "attrs.home", home);
  check_field(user, "attrs.shell", shell);

  std::string line = user.username;
  line += ":x:";
  line += std::to_string(user.uid);
  line += ':';
  line += std::to_string(private_gid.value_or(user.uid));
  line += ':';
  line += user.name;
  line += ':';
  line += home;
  line += ':';
  line += shell;
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
