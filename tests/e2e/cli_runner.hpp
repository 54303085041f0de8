#pragma once
// Runs the usersctl binary as a subprocess, the way users and scripts meet it.
// This header is free of Boost: cli_runner.cpp is the only translation unit that includes
// Boost.Process (it is heavy to compile).

#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace usersctl::e2e {

using Environment = std::map<std::string, std::string>;

struct RunResult {
  int exit_code = -1;      // the process's exit status; 128+N when killed by signal N
  std::string out;         // everything the process wrote on stdout
  std::string err;         // everything the process wrote on stderr
  bool timed_out = false;  // killed because it ran past the deadline
};

// Printed by GoogleTest when an assertion on a RunResult fails.
std::ostream& operator<<(std::ostream& os, const RunResult& result);

struct RunOptions {
  std::string stdin_data;  // written to the child's stdin, which is then closed
  // Variables added to (or overriding) the environment. With replace_env set, the child sees
  // replace_env + extra_env only; otherwise the test process's environment + extra_env.
  Environment extra_env;
  std::optional<Environment> replace_env;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  // Give the child a pseudo-terminal (raw mode, 200 columns) as stdout instead of a pipe, to test
  // what a user at a terminal sees. Not for use from several threads at once.
  bool stdout_is_terminal = false;
};

// The binary under test: $USERSCTL_E2E_BINARY if set, else the USERSCTL_BINARY compile definition.
const std::string& usersctl_binary();

// Runs `program args...` (no shell) and collects its exit code, stdout and stderr.
// Never deadlocks on full pipes: stdin, stdout and stderr are pumped together with poll(2).
RunResult run_process(const std::string& program, const std::vector<std::string>& args,
                      const RunOptions& options = {});

// Runs the usersctl binary.
RunResult run_cli(const std::vector<std::string>& args, const std::string& stdin_data = {},
                  const Environment& extra_env = {}, const std::optional<Environment>& replace_env = {});
RunResult run_cli(const std::vector<std::string>& args, const RunOptions& options);

// One invocation for run_concurrently.
struct Invocation {
  std::vector<std::string> args;
  RunOptions options;
};

// Starts every invocation at once (one thread each, released together by a latch) and waits for
// all of them. Results are in the order of `invocations`.
std::vector<RunResult> run_concurrently(const std::vector<Invocation>& invocations);

}  // namespace usersctl::e2e
