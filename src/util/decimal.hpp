#pragma once
// The one reader of decimal numbers typed by people: command-line options, ids and id ranges.

#include <cstdint>
#include <string_view>

namespace usersctl::util {

enum class DecimalStatus { Ok, NotDecimal, TooLarge };

struct ParsedDecimal {
  DecimalStatus status = DecimalStatus::NotDecimal;
  std::uint64_t value = 0;  // when Ok
};

// Digits only: no sign, space, "0x" or empty text, and no leading zero except "0" itself (tools
// disagree on them: some read 010 as octal 8). TooLarge above `max` (at most INT64_MAX).
ParsedDecimal parse_decimal(std::string_view text, std::uint64_t max);

}  // namespace usersctl::util
