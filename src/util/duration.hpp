#pragma once
// Durations as options take them: "500ms", "30s", "5m", "24h", "2d"; a bare number is seconds.

#include <chrono>
#include <optional>
#include <string_view>

namespace usersctl::util {

// nullopt for anything else (negative, empty, an unknown unit, an overflow).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace usersctl::util
