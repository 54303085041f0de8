#include "util/decimal.hpp"

namespace usersctl::util {

ParsedDecimal parse_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return {};
  for (const char c : text) {
    if (c < '0' || c > '9') return {};
  }
  // INT64_MAX has 19 digits: 19 digits always fit the accumulator, more are too large anyway.
  if (text.size() > 19) return {DecimalStatus::TooLarge, 0};
  std::uint64_t value = 0;
  for (const char c : text) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  if (value > max) return {DecimalStatus::TooLarge, 0};
  return {DecimalStatus::Ok, value};
}

}  // namespace usersctl::util
