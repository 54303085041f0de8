#pragma once
// RFC 2849's rules for one attribute line: when a value must be base64 (`::`), and folding a
// line at 76 columns. Shared by the LDIF writer and its tests.

#include <string>
#include <string_view>

namespace usersctl::core {

// RFC 2849 SAFE-STRING: no NUL, LF or CR, first char not space, ':' or '<', all ASCII; and (as
// slapcat does) no trailing space, which readers may strip. Anything else goes out as base64.
bool ldif_safe_value(std::string_view value);

// "name: value" or "name:: BASE64", folded: lines of at most 76 bytes, each continuation line
// starting with one space (never splitting a UTF-8 sequence of a DN or comment). Ends with '\n'.
std::string ldif_attribute(std::string_view name, std::string_view value);

// Folds one logical line to 76-byte physical lines; the result ends with '\n'.
std::string ldif_fold(std::string_view line);

}  // namespace usersctl::core
