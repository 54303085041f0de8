#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usersctl::cli {

// The candidate closest to `typed` by edit distance, if any is close enough to be a typo.
std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace usersctl::cli
