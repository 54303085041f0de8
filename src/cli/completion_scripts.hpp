#pragma once
// The shell completion scripts of completions/, embedded at build time (CMakeLists.txt runs
// cmake/embed_completions.cmake), so `usersctl completion SHELL` prints the installed files exactly.

#include <string_view>

namespace usersctl::cli {

// The script for "bash", "zsh" or "fish"; empty for any other shell.
std::string_view completion_script(std::string_view shell);

}  // namespace usersctl::cli
