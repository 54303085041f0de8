#include "core/time_point.hpp"

#include <optional>
#include <regex>

#include "util/civil_date.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

int number(const std::ssub_match& match, int fallback = 0) {
  return match.matched ? std::stoi(match.str()) : fallback;
}

std::optional<std::int64_t> parse_ms(std::string_view text) {
  static const std::regex pattern(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?)?$)");
  std::smatch m;
  const std::string s(text);
  if (!std::regex_match(s, m, pattern)) return std::nullopt;
  const int year = number(m[1]), month = number(m[2]), day = number(m[3]);
  const int hour = number(m[4]), minute = number(m[5]), second = number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const std::int64_t days =
      util::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  // A day past the month's end (2026-02-30) lands in the next month: refuse it.
  const std::int64_t next_month = month == 12
                                      ? util::days_from_civil(year + 1, 1, 1)
                                      : util::days_from_civil(year, static_cast<unsigned>(month + 1), 1);
  if (days >= next_month) return std::nullopt;
  std::int64_t ms = ((days * 24 + hour) * 60 + minute) * 60 * 1000 + std::int64_t{second} * 1000;
  if (m[7].matched) ms += std::stoi((m[7].str() + "00").substr(0, 3));
  const std::string zone = m[8].str();
  if (!zone.empty() && zone != "Z" && zone != "z") {
    const int offset = (std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2))) * 60 * 1000;
    ms += zone[0] == '+' ? -offset : offset;
  }
  return ms;
}

}  // namespace

std::string parse_time_arg(std::string_view text, std::string_view option) {
  const auto ms = parse_ms(text);
  if (!ms || *ms < 0) {
    throw UsageError(std::string(option) + " '" + std::string(text) +
                     "': expected a date (2026-12-01) or an " + "RFC 3339 time (2026-12-01T10:00:00Z)");
  }
  return util::rfc3339_from_unix_ms(*ms);
}

std::int64_t unix_ms_of(std::string_view time) { return parse_ms(time).value_or(0); }

bool is_sequence_arg(std::string_view text) {
  return !text.empty() && text.size() < 19 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace usersctl::core
