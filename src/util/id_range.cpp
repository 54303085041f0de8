#include "util/id_range.hpp"

#include <array>

#include "util/decimal.hpp"
#include "util/errors.hpp"
#include "util/quote.hpp"

namespace usersctl::util {
namespace {

constexpr std::string_view kFormatHint = "ids are decimal numbers without sign, spaces or leading zeros";

ParsedDecimal parse_digits(std::string_view text) { return parse_decimal(text, kMaxId); }

std::string prefix(std::string_view what, std::string_view text) {
  return std::string(what) + ": " + quote_value(text);
}

std::string out_of_range(std::string_view number) {
  return quote_value(number) + " is out of range (0-" + std::to_string(kMaxId) + ")";
}

struct ReservedRange {
  std::uint64_t low;
  std::uint64_t high;
  std::string_view reason;
};

// From https://systemd.io/UIDS-GIDS/: the ids Linux itself treats specially, then the ranges
// systemd hands out on its own, where an account of ours would collide with systemd's.
constexpr std::array<ReservedRange, 5> kReservedRanges = {{
    {65534, 65534, "reserved for 'nobody', the overflow id unmappable ids are shown as"},
    {65535, 65535, "reserved: it is (uid_t)-1 to programs built for 16-bit ids"},
    {4294967295, 4294967295, "reserved: it is (uid_t)-1, which chown() and setresuid() read as 'no change'"},
    {60001, 60513, "reserved by systemd for systemd-homed users (60001-60513)"},
    {61184, 65519, "reserved by systemd for dynamic service users, DynamicUser= (61184-65519)"},
}};

}  // namespace

std::uint32_t parse_decimal_id(std::string_view text, std::string_view what) {
  const ParsedDecimal parsed = parse_digits(text);
  if (parsed.status == DecimalStatus::NotDecimal) {
    throw Invalid(prefix(what, text) + " is not a decimal number", std::string(kFormatHint));
  }
  if (parsed.status == DecimalStatus::TooLarge) throw Invalid(std::string(what) + ": " + out_of_range(text));
  return static_cast<std::uint32_t>(parsed.value);
}

IdRange parse_id_range(std::string_view text, std::string_view what) {
  const std::size_t dash = text.find('-');
  const std::string_view low_text = text.substr(0, dash);
  const std::string_view high_text = dash == std::string_view::npos ? "" : text.substr(dash + 1);
  const ParsedDecimal low = parse_digits(low_text);
  const ParsedDecimal high = parse_digits(high_text);
  if (dash == std::string_view::npos || low.status == DecimalStatus::NotDecimal ||
      high.status == DecimalStatus::NotDecimal) {
    throw Invalid(prefix(what, text) + " is not a range LOW-HIGH of decimal ids (e.g. 1000-59999)",
                  std::string(kFormatHint));
  }
  for (const auto& [parsed, part] : {std::pair{low, low_text}, std::pair{high, high_text}}) {
    if (parsed.status == DecimalStatus::TooLarge)
      throw Invalid(prefix(what, text) + ": " + out_of_range(part));
  }
  if (low.value > high.value) {
    throw Invalid(prefix(what, text) + ": the low end " + std::string(low_text) +
                  " is greater than the high end " + std::string(high_text));
  }
  return {static_cast<std::uint32_t>(low.value), static_cast<std::uint32_t>(high.value)};
}

std::optional<std::string> reserved_id_reason(std::uint64_t id) {
  for (const ReservedRange& range : kReservedRanges) {
    if (range.low <= id && id <= range.high) return std::string(range.reason);
  }
  if (id > kMaxId) return "beyond the 32-bit id range (0-" + std::to_string(kMaxId) + ")";
  return std::nullopt;
}

std::optional<std::string> reserved_id_message(std::string_view what, std::uint64_t id) {
  auto reason = reserved_id_reason(id);
  if (!reason) return std::nullopt;
  return std::string(what) + " " + std::to_string(id) + " is " + *reason;
}

}  // namespace usersctl::util
