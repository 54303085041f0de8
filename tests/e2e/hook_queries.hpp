#pragma once
// What the hook tests share: a free port for a receiver, and what they read back through the
// CLI (the hooks as `hook list` shows them, one hook's `events status` record). Used by
// test_e2e_hooks.cpp and test_e2e_hook_management.cpp.

#include <cstdint>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {

// A TCP port on 127.0.0.1 that nothing listens on right now (bound, read, released).
int unused_port();
// `hook list` as JSON records (a test failure when it does not succeed).
std::vector<json> list_hooks(const E2eSandbox& sandbox);
// The `events status` record of `hook` (a test failure and an empty object when it has none).
json hook_status(const E2eSandbox& sandbox, std::int64_t hook);

}  // namespace usersctl::e2e
