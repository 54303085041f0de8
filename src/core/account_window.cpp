#include "core/account_window.hpp"

#include "core/time_point.hpp"

namespace usersctl::core {

bool within_window(const model::User& user, std::string_view now) {
  if (user.valid_from && now < *user.valid_from) return false;
  if (user.expires_at && now >= *user.expires_at) return false;
  return true;
}

std::optional<std::string> parse_window_bound(std::string_view text, std::string_view option) {
  if (text.empty() || text == "never") return std::nullopt;
  return parse_time_arg(text, option);
}

}  // namespace usersctl::core
