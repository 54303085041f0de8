#include "core/shadow_format.hpp"

#include <charconv>

#include "core/account_expiry.hpp"
#include "util/civil_date.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

bool parse_int(const std::string& text, std::size_t pos, std::size_t length, int& value) {
  if (pos + length > text.size()) return false;
  const char* begin = text.data() + pos;
  const auto [end, error] = std::from_chars(begin, begin + length, value);
  return error == std::errc() && end == begin + length;
}

}  // namespace

std::optional<std::int64_t> epoch_day(const std::string& timestamp) {
  int year = 0, month = 0, day = 0;
  if (!parse_int(timestamp, 0, 4, year) || timestamp.size() < 10 || timestamp[4] != '-' ||
      timestamp[7] != '-' || !parse_int(timestamp, 5, 2, month) || !parse_int(timestamp, 8, 2, day) ||
      month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  return util::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::optional<std::int64_t> account_expiry_day(const model::User& user) {
  if (!user.expires_at) return std::nullopt;
  return epoch_day(*user.expires_at);
}

std::string day_start(std::int64_t day) {
  // Refused past 9999-12-31: the stored form has four digits of year, and a larger count would
  // overflow the milliseconds.
  constexpr std::int64_t kLastDay = 2'932'896;
  if (day < 0 || day > kLastDay)
    throw Invalid("day " + std::to_string(day) + " is not between 1970 and 9999");
  return util::rfc3339_from_unix_ms(day * 86'400'000);
}

std::string shadow_line(const model::User& user, const std::optional<std::string>& hash) {
  const bool has_hash = hash && !hash->empty();
  if (has_hash && hash->find_first_of(":\n\r") != std::string::npos) {
    throw Invalid("user '" + user.username + "': the password hash contains ':' or a line break");
  }
  std::string line = user.username;
  line += ':';
  if (user.disabled) line += '!';
  line += has_hash ? *hash : std::string("*");
  line += ':';
  // lastchg: when the password was last set (records from before that was kept: their last change).
  if (const auto day = epoch_day(user.password_changed_at.value_or(user.updated_at)))
    line += std::to_string(*day);
  line += ":::::";  // min, max, warn, inactive: no aging
  if (const auto expire = account_expiry_day(user)) line += std::to_string(*expire);
  line += ':';  // the reserved field
  return line;
}

}  // namespace usersctl::core
