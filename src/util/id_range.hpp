#pragma once
// The rules for uid and gid numbers: how they are written, and which can never be given out.
// (See https://systemd.io/UIDS-GIDS/ for the special ids and ranges.)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::util {

// The largest usable id: 4294967295 is (uid_t)-1, which chown() and setresuid() read as "no change".
inline constexpr std::uint32_t kMaxId = 4294967294U;

struct IdRange {
  std::uint32_t low = 0;
  std::uint32_t high = 0;

  bool contains(std::uint64_t id) const { return low <= id && id <= high; }
  bool operator==(const IdRange&) const = default;
};

// "LOW-HIGH", both written as parse_decimal_id() accepts, LOW <= HIGH. A single id is "N-N".
// what names the setting in the message ("uid range: '2000-1000': ..."). Throws usersctl::Invalid.
// The range may include reserved ids: an allocator skips them with reserved_id_reason().
IdRange parse_id_range(std::string_view text, std::string_view what);

// A decimal id: digits only (no sign, space or "0x"), no leading zero except "0" itself, at most
// kMaxId. Leading zeros are refused because tools disagree on them (some read 010 as octal 8).
// what names the option ("--uid"). Throws usersctl::Invalid. Reserved ids are accepted here; the
// caller decides with reserved_id_reason(), as importing an existing nobody (65534) is legitimate.
std::uint32_t parse_decimal_id(std::string_view text, std::string_view what);

// Why id can never be allocated or accepted as a new account's id, or nothing when it can. The
// reason reads after "<what> <id> is ": "reserved by systemd for systemd-homed users (60001-60513)".
std::optional<std::string> reserved_id_reason(std::uint64_t id);

// The whole sentence, e.g. "uid 60100 is reserved by systemd for systemd-homed users (60001-60513)".
std::optional<std::string> reserved_id_message(std::string_view what, std::uint64_t id);

}  // namespace usersctl::util
