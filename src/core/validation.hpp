#pragma once
// The record rules of docs/ARCHITECTURE.md, "Record rules". Each check throws Invalid (exit 5) naming the
// field and what is wrong with it, so the CLI can print one clear line.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/user.hpp"

namespace usersctl::core {

inline constexpr std::size_t kMaxNameLength = 32;
inline constexpr std::size_t kMaxDisplayNameLength = 256;  // characters
inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxAttrKeyLength = 64;
inline constexpr std::size_t kMaxAttrValueBytes = 64 * 1024;
inline constexpr std::size_t kMaxAttrsPerUser = 1000;
inline constexpr std::size_t kMaxDescriptionLength = 1024;  // characters
inline constexpr std::size_t kMaxPathBytes = 4096;
// 4294967295 is (uid_t)-1; see util/id_range.hpp.
inline constexpr std::int64_t kMaxId = 4294967294;

// `what` is "user name" or "group name": it starts the error message.
void validate_name(std::string_view name, std::string_view what);
void validate_email(std::string_view email);
// An empty value means none: an email, a validity bound (add, update, import and apply alike).
std::optional<std::string> empty_as_none(const std::optional<std::string>& value);
void validate_display_name(std::string_view name);
void validate_description(std::string_view text);
void validate_attr_key(std::string_view key);
void validate_attr_value(std::string_view key, std::string_view value);
void validate_attrs(const model::Attributes& attrs);
// In [0, kMaxId] and not reserved (util::reserved_id_reason: nobody, systemd's ranges).
void validate_id(std::int64_t id, std::string_view what);
// A home folder or login shell: absolute, at most kMaxPathBytes, no ':' and no control characters.
void validate_path(std::string_view path, std::string_view what);

}  // namespace usersctl::core
