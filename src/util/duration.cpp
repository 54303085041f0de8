#include "util/duration.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace usersctl::util {

namespace {

std::optional<std::int64_t> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit.empty() || unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 60 * 60 * 1000;
  if (unit == "d") return 24 * 60 * 60 * 1000;
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::int64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end == text.data() || count < 0) return std::nullopt;
  const auto unit = unit_ms(text.substr(static_cast<std::size_t>(end - text.data())));
  if (!unit || count > std::numeric_limits<std::int64_t>::max() / *unit) return std::nullopt;
  return std::chrono::milliseconds(count * *unit);
}

}  // namespace usersctl::util
