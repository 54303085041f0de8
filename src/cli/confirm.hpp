#pragma once
// Questions to the person at the terminal: y/N confirmations and passwords typed without echo.
// Only when stdin is a terminal; scripts (stdin a pipe or a file) are never asked anything.

#include <string>

#include "util/secret_string.hpp"

namespace usersctl::cli {

// Whether a person can be asked: stdin is a terminal.
bool can_ask();
// Shows `what` and "Continue? [y/N]" on stderr, reads the answer from the terminal (stdin).
// true only for y or yes; end of input or anything else is a no.
bool confirm(const std::string& what);
// Throws the error of a declined confirmation: exit 1, "aborted: nothing was changed".
[[noreturn]] void aborted();
// Asks twice for a new password, echo off; Invalid (exit 5) when the two differ.
// UsageError when stdin is not a terminal, naming --password-stdin.
util::SecretString ask_new_password(const std::string& command);
// The first line of stdin, without its line ending (--password-stdin); from here on the process
// is not dumpable, and the password is wiped when the SecretString goes.
util::SecretString read_password_from_stdin();

}  // namespace usersctl::cli
