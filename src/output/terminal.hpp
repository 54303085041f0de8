#pragma once
// Terminal detection: decides the default output format (DESIGN.md §3) and whether progress
// may be drawn on stderr.

namespace usersctl::output {

bool is_terminal(int fd);

}  // namespace usersctl::output
