#pragma once

#include <string>
#include <string_view>

#include "model/outbox_types.hpp"

namespace usersctl::core {

// Whether a hook subscribed to `patterns` ("*", "user.*", "user.created,group.*") wants
// an event of `type`.
bool hook_wants(std::string_view patterns, std::string_view type);
// Throws Invalid unless every comma-separated pattern is "*", a known type, or "FAMILY.*";
// the message names `option`, the flag that gave the patterns.
void validate_hook_types(std::string_view patterns, std::string_view option = "--types");
// "hook 3", or "hook 3 (ci)" for a named one: how messages name a hook.
std::string hook_label(const model::Hook& hook);

}  // namespace usersctl::core
