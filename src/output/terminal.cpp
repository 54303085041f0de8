#include "output/terminal.hpp"

#include <unistd.h>

namespace usersctl::output {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

}  // namespace usersctl::output
