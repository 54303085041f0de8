#include "crash_harness.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace usersctl::e2e {

namespace {

using Clock = std::chrono::steady_clock;

// An anonymous in-memory file (close-on-exec in the parent; posix_spawn dup2s it into the child).
int memory_file(const char* name, const std::string& contents) {
  const int fd = ::memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) {
    ADD_FAILURE() << "memfd_create: " << std::strerror(errno);
    return -1;
  }
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

std::string read_back(int fd) {
  std::string text;
  if (fd < 0) return text;
  ::lseek(fd, 0, SEEK_SET);
  char buffer[65536];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

// ---- ChildProcess ----

ChildProcess::ChildProcess(const ChildSpec& spec, StdinMode stdin_mode) {
  std::signal(SIGPIPE, SIG_IGN);  // a child that stops reading must not kill the test
  int child_stdin = -1;
  if (stdin_mode == StdinMode::Pipe) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe2: " << std::strerror(errno);
      return;
    }
    child_stdin = fds[0];
    stdin_ = fds[1];
  } else {
    child_stdin = memory_file("child-stdin", spec.stdin_data);
  }
  out_ = memory_file("child-stdout", "");
  err_ = memory_file("child-stderr", "");

  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, child_stdin, STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_, STDERR_FILENO);

  std::vector<std::string> argv_text{spec.program};
  argv_text.insert(argv_text.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (const auto& [key, value] : spec.env) env_text.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int rc = ::posix_spawn(&pid_, spec.program.c_str(), &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(child_stdin);
  if (rc != 0) {
    ADD_FAILURE() << "posix_spawn " << spec.program << ": " << std::strerror(rc);
    pid_ = -1;
  }
}

ChildProcess::~ChildProcess() {
  if (started() && !exited()) {
    kill();
    ::waitpid(pid_, &status_, 0);
  }
  close_fd(stdin_);
  close_fd(out_);
  close_fd(err_);
}

void ChildProcess::write_stdin(const std::string& data) {
  std::size_t written = 0;
  while (stdin_ >= 0 && written < data.size()) {
    const ssize_t n = ::write(stdin_, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
}

void ChildProcess::close_stdin() { close_fd(stdin_); }

bool ChildProcess::exited() {
  if (!started() || reaped_) return true;
  reaped_ = ::waitpid(pid_, &status_, WNOHANG) == pid_;
  return reaped_;
}

void ChildProcess::kill() {
  if (started() && !reaped_) ::kill(pid_, SIGKILL);
}

RunResult ChildProcess::wait(std::chrono::milliseconds timeout) {
  RunResult result;
  close_stdin();
  const auto deadline = Clock::now() + timeout;
  while (!exited() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (!exited()) {
    result.timed_out = true;
    kill();
    reaped_ = ::waitpid(pid_, &status_, 0) == pid_;
  }
  result.exit_code = result.timed_out ? -1 : decode(status_);
  result.out = read_back(out_);
  result.err = read_back(err_);
  return result;
}

// ---- CrashHarness ----

CrashHarness::CrashHarness() {
  if (const char* fixed = std::getenv("USERSCTL_CRASH_SEED"); fixed != nullptr && *fixed != '\0') {
    seed_ = static_cast<std::uint32_t>(std::strtoul(fixed, nullptr, 10));
  } else {
    seed_ = std::random_device{}();
  }
  random_.seed(seed_);
  ::testing::Test::RecordProperty("crash_seed", std::to_string(seed_));
}

std::chrono::microseconds CrashHarness::time_to_finish(const ChildSpec& spec) {
  const auto started = Clock::now();
  ChildProcess child(spec);
  const RunResult result = child.wait();
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  EXPECT_EQ(result.exit_code, 0) << "calibration run failed\n" << result;
  return took;
}

CrashOutcome CrashHarness::run_killed(const ChildSpec& spec, std::chrono::microseconds delay) {
  CrashOutcome outcome;
  outcome.delay = delay;
  const auto kill_at = Clock::now() + delay;
  ChildProcess child(spec);
  if (!child.started()) return outcome;
  // Poll for an early exit until the moment comes, then kill; short sleeps keep the moment
  // accurate to ~100 µs without busy-waiting through the whole delay.
  while (!child.exited() && Clock::now() < kill_at) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(kill_at - Clock::now(), std::chrono::microseconds(100)));
  }
  const bool ran_to_the_end = child.exited();
  if (!ran_to_the_end) child.kill();
  outcome.result = child.wait();
  outcome.killed = !ran_to_the_end && outcome.result.exit_code == 128 + SIGKILL;
  return outcome;
}

std::chrono::microseconds CrashHarness::random_delay(std::chrono::microseconds max) {
  std::uniform_int_distribution<std::int64_t> pick(0, max.count());
  return std::chrono::microseconds(pick(random_));
}

}  // namespace usersctl::e2e
