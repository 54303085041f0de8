#pragma once
// One JSON value from one line of an input file (JSON Lines import and apply, a dump), read the
// one careful way: nesting bounded before parsing (a hostile line cannot make the parser recurse
// without bound), a key repeated in one object refused ({"username":"alice","username":"root"}
// would pass a check of the first and import the second), and a syntax error said by column,
// never quoting the line (it may hold a password hash).

#include <nlohmann/json.hpp>
#include <string>

#include "util/errors.hpp"

namespace usersctl::core {

// The line is not JSON at all (rather than JSON of the wrong shape): readers may add a hint.
struct JsonSyntaxError : Invalid {
  using Invalid::Invalid;
};

// Throws JsonSyntaxError, or Invalid for nesting, a repeated key or a number no double holds.
nlohmann::json parse_json_line(const std::string& line);

}  // namespace usersctl::core
