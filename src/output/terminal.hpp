#pragma once
// Terminal detection: decides the default output format (README.md, "Output") and whether progress
// may be drawn on stderr.

namespace usersctl::output {

bool is_terminal(int fd);

}  // namespace usersctl::output
