#pragma once
// Terminal detection: decides the default output format (README.md, "Output") and whether progress
// may be drawn on stderr.

#include <cstddef>

namespace usersctl::output {

bool is_terminal(int fd);
// The columns a table on `fd` may use: COLUMNS when it is a positive number, else the terminal's
// width when `fd` is a terminal; 0 (no limit) otherwise, so piped tables are never cut.
std::size_t table_width(int fd);

}  // namespace usersctl::output
