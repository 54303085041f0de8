#include "cli/confirm.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <vector>

#include "core/password.hpp"
#include "output/terminal.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// One line of stdin, read byte by byte from fd 0: std::cin would buffer past it, and keep a copy
// of a password in its buffer. Bounded: `cat /dev/zero | usersctl passwd alice --password-stdin`
// must fail, not fill memory; a byte past the limit is enough for hash_password to refuse the length.
util::SecretString read_line(bool* ended) {
  util::SecretString line;
  char c = 0;
  bool got_newline = false;
  while (line.size() <= core::kMaxPasswordBytes + 1) {
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (c == '\n') {
      got_newline = true;
      break;
    }
    line.push_back(c);
  }
  ::explicit_bzero(&c, sizeof c);
  if (!line.empty() && line.view().back() == '\r') line.pop_back();
  if (ended) *ended = got_newline;
  return line;
}

// Echo stays off only while a password is typed: a signal that ends the process first puts the
// terminal back, or the shell after it would show nothing the admin types.
termios g_saved_terminal{};

extern "C" void restore_and_reraise(int signal) {
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0)
      throw Unavailable("cannot read the terminal settings");
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP}) {
      previous_.push_back(std::signal(signal, restore_and_reraise));
    }
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~EchoOff() {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
    int i = 0;
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP}) std::signal(signal, previous_[i++]);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  std::vector<void (*)(int)> previous_;
};

// Echo is already off when the prompt shows: whatever is typed after it is never echoed.
util::SecretString ask_secret(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  bool ended = false;
  util::SecretString secret = read_line(&ended);
  if (!ended && secret.empty()) throw Invalid("no password was typed; nothing was changed");
  return secret;
}

}  // namespace

bool can_ask() { return output::is_terminal(STDIN_FILENO); }

bool confirm(const std::string& what) {
  std::cout.flush();
  std::cerr << "usersctl: " << what << "\nContinue? [y/N] " << std::flush;
  bool ended = false;
  const util::SecretString line = read_line(&ended);
  const std::string_view answer = line.view();
  if (!ended) std::cerr << '\n';
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes";
}

void aborted() { throw Error(ExitCode::Internal, "aborted: nothing was changed"); }

util::SecretString ask_new_password(const std::string& command) {
  if (!can_ask()) {
    throw UsageError(command + " needs a terminal to ask for the password (stdin is not one)",
                     "pipe the password in with --password-stdin");
  }
  EchoOff echo_off;
  const util::SecretString first = ask_secret("New password: ");
  const util::SecretString second = ask_secret("Retype new password: ");
  if (first != second) throw Invalid("the passwords do not match; nothing was changed");
  return first;
}

util::SecretString read_password_from_stdin() {
  bool ended = false;
  util::SecretString password = read_line(&ended);
  if (!ended && password.empty()) throw Invalid("--password-stdin: no password on standard input");
  return password;
}

}  // namespace usersctl::cli
