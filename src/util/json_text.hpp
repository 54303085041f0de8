#pragma once
// A JSON string as nlohmann's dump() writes it (ensure_ascii off): for writers that build JSON
// text directly, where building a json value first costs more than the writing.

#include <string>
#include <string_view>

namespace usersctl::util {

// Appends `text` quoted and escaped, byte for byte as dump() would. False, leaving `out` as it
// was, when `text` is not valid UTF-8 (dump() then has replacement rules of its own).
bool append_json_string(std::string& out, std::string_view text);

}  // namespace usersctl::util
