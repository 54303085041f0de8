#pragma once
// Quoting a value the user gave for an error message: the message is one line on a terminal, so
// control bytes and non-ASCII bytes show as '?', and a long value is cut short with "...".

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl::util {

// 'text' in single quotes, at most max_bytes of it.
std::string quote_value(std::string_view text, std::size_t max_bytes = 40);

}  // namespace usersctl::util
