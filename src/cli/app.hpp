#pragma once

namespace usersctl::cli {

// Parses the command line and runs the command. Returns the exit code for outcomes that
// are not errors (check-password's "no match"); throws usersctl::Error for failures.
int run(int argc, char** argv);

}  // namespace usersctl::cli
