#pragma once
// What the hook tests read back through the CLI: the hooks as `hook list` shows them, and one
// hook's `events status` record. Shared by test_e2e_hooks.cpp and test_e2e_hook_management.cpp.

#include <cstdint>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {

// `hook list` as JSON records (a test failure when it does not succeed).
std::vector<json> list_hooks(const E2eSandbox& sandbox);
// The `events status` record of `hook` (a test failure and an empty object when it has none).
json hook_status(const E2eSandbox& sandbox, std::int64_t hook);

}  // namespace usersctl::e2e
