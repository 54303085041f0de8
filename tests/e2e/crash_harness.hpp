#pragma once
// Processes a test controls while they run: started without waiting (ChildProcess), and killed with
// SIGKILL at a random moment of their life (CrashHarness), so a test can check what a crash leaves
// behind (issue 9, "crash safety") or look at a live process from outside (/proc/PID/...).
//
//   CrashHarness harness;                            // seed from USERSCTL_CRASH_SEED or random
//   const auto life = harness.time_to_finish(spec);  // how long an undisturbed run takes
//   for (int i = 0; i < 50; ++i) {
//     const CrashOutcome o = harness.run_killed(spec_for(i), harness.random_delay(life * 5 / 4));
//     ... check the database: either all of the change and its event, or nothing ...
//   }
//
// Children are started with posix_spawn (not Boost.Process: no pipes to pump, and a kill may land
// at any moment). stdout and stderr go to memory files read back at the end.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace usersctl::e2e {

struct ChildSpec {
  std::string program;  // usersctl_binary() for the usual case
  std::vector<std::string> args;
  Environment env;  // the child's whole environment
  std::string stdin_data;
};

enum class StdinMode {
  Data,  // stdin_data, then end of file
  Pipe,  // a pipe the test writes with write_stdin() and ends with close_stdin()
};

// One child process, started at construction. The destructor kills it (SIGKILL) if it still runs.
class ChildProcess {
 public:
  explicit ChildProcess(const ChildSpec& spec, StdinMode stdin_mode = StdinMode::Data);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  void write_stdin(const std::string& data);
  void close_stdin();
  // True once it exited (reaps it; the status is kept for wait()).
  bool exited();
  void kill();  // SIGKILL
  // Waits (at most `timeout`, then kills it) and collects exit code, stdout and stderr.
  RunResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;  // the test's end of the stdin pipe
  int out_ = -1;
  int err_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

struct CrashOutcome {
  bool killed = false;  // SIGKILL arrived while the child ran
  RunResult result;     // exit_code 137 when killed; out/err as far as written
  std::chrono::microseconds delay{0};
};

class CrashHarness {
 public:
  // Seed: $USERSCTL_CRASH_SEED when set (to replay a failure), else random. Print seed() in
  // failure messages.
  CrashHarness();
  std::uint32_t seed() const { return seed_; }

  // Runs `spec` undisturbed and returns how long it took (fails the test unless it exits 0).
  std::chrono::microseconds time_to_finish(const ChildSpec& spec);
  // Starts `spec` and sends SIGKILL `delay` after the start unless it has exited by then.
  CrashOutcome run_killed(const ChildSpec& spec, std::chrono::microseconds delay);
  // Uniform in [0, max].
  std::chrono::microseconds random_delay(std::chrono::microseconds max);

 private:
  std::uint32_t seed_;
  std::mt19937 random_;
};

}  // namespace usersctl::e2e
