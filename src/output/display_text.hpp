#pragma once
// Text as a terminal shows it: what may reach it, and how many columns it takes.

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl::output {

// Replaces control characters (C0, DEL, C1), bidi overrides and malformed UTF-8 bytes with '?',
// so no record can move the cursor, recolour or reorder the terminal. Validation already refuses
// control characters; this is defence in depth for data that predates or bypasses it.
std::string terminal_safe(std::string_view text);
// Terminal columns: East Asian wide characters take two, combining marks none, the rest one.
std::size_t display_width(std::string_view text);
// Cuts text wider than `max_width` columns to fit, ending it with "…".
std::string truncate_to_width(std::string_view text, std::size_t max_width);

}  // namespace usersctl::output
