#pragma once
// usersctl on a real pseudo-terminal, driven like a person at a shell: the test waits for a
// prompt, types an answer, and reads what the terminal showed. The terminal is the child's
// controlling terminal and its stdin; stdout and stderr go to the terminal or to pipes, so a
// test can still tell the data (stdout) from the prompts and messages (stderr).

#include <chrono>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace usersctl::e2e {

struct PtyOptions {
  Environment env;                  // the child's whole environment
  bool stdout_on_terminal = false;  // else a pipe (RunResult::out)
  bool stderr_on_terminal = true;   // else a pipe (RunResult::err)
  unsigned short columns = 80;
  unsigned short rows = 24;
};

class PtySession {
 public:
  PtySession(const std::string& program, const std::vector<std::string>& args, const PtyOptions& options);
  ~PtySession();
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  // Reads until what the terminal showed contains `text`; false on timeout or exit first.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Types `text` at the terminal (a "\n" ends the line).
  void type(const std::string& text);
  // Ends input at the terminal (Ctrl-D at the start of a line).
  void end_of_input() { type("\x04"); }
  // Waits for the exit; `out`/`err` hold the pipes' contents (empty for those on the terminal).
  RunResult finish(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Whether the terminal echoes what is typed now (its settings outlive the child).
  bool echo_on() const;
  // Everything the terminal showed so far (prompts, echoed input, output on the terminal).
  const std::string& screen() const { return screen_; }

 private:
  void pump(int timeout_ms);

  int master_ = -1;
  bool screen_open_ = true;
  int out_pipe_ = -1;
  int err_pipe_ = -1;
  int pid_ = -1;
  std::string screen_;
  std::string out_;
  std::string err_;
};

}  // namespace usersctl::e2e
