#include "core/hook_types.hpp"

#include <string>

#include "model/change.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

template <typename Fn>
void for_each_pattern(std::string_view patterns, Fn fn) {
  std::size_t start = 0;
  while (start <= patterns.size()) {
    auto end = patterns.find(',', start);
    if (end == std::string_view::npos) end = patterns.size();
    fn(patterns.substr(start, end - start));
    start = end + 1;
  }
}

bool matches(std::string_view pattern, std::string_view type) {
  if (pattern == "*" || pattern == type) return true;
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*") {
    return type.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  }
  return false;
}

}  // namespace

bool hook_wants(std::string_view patterns, std::string_view type) {
  bool wanted = false;
  for_each_pattern(patterns, [&](std::string_view pattern) { wanted = wanted || matches(pattern, type); });
  return wanted;
}

void validate_hook_types(std::string_view patterns, std::string_view option) {
  for_each_pattern(patterns, [option](std::string_view pattern) {
    if (pattern == "*" || pattern == "user.*" || pattern == "group.*" || pattern == "settings.*") return;
    for (const auto& names : model::change_types()) {
      if (pattern == names.event) return;
    }
    throw Invalid(std::string(option) + ": unknown event type '" + std::string(pattern) + "'",
                  "use *, user.*, group.*, settings.*, or types such as user.created,group.member_added");
  });
}

std::string hook_label(const model::Hook& hook) {
  std::string label = "hook " + std::to_string(hook.id);
  if (hook.name) label += " (" + *hook.name + ")";
  return label;
}

}  // namespace usersctl::core
