#pragma once
// A user as the compact JSON of model::user_record(), written as text directly: listing or
// importing a million users spends more on building json values than on anything else.

#include <string>

#include "model/user.hpp"

namespace usersctl::model {

// Appends the object user_record(user).dump() would give, byte for byte. False, leaving `out` as
// it was, when some text is not valid UTF-8 (dump() has replacement rules of its own for that).
bool append_user_json(std::string& out, const User& user);

}  // namespace usersctl::model
