#include "events/exec_sink.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <climits>
#include <string>
#include <system_error>
#include <vector>

namespace usersctl::events {
namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

// Without pidfd_open (Linux < 5.3) the child's exit is noticed by polling this often.
constexpr std::chrono::milliseconds kExitPollInterval{5};

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// Runs in the forked child before exec; async-signal-safe calls only.
struct ChildSetup : bp::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::setpgid(0, 0);  // its own process group, so a timeout can kill what it started too
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigemptyset(&default_action.sa_mask);
    ::sigaction(SIGPIPE, &default_action, nullptr);  // even if we ignore it
    // Our stdout carries data: the command's stdout goes to our stderr.
    if (::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) ::close(STDOUT_FILENO);
#ifdef CLOSE_RANGE_CLOEXEC
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);  // inherit 0, 1, 2 only (best effort: Linux >= 5.11)
#endif
  }
};

// Blocks SIGPIPE in this thread while it writes to the command, so a command that stops reading makes
// write() fail with EPIPE instead of killing us; a SIGPIPE this raised is consumed before unblocking.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
    was_pending_ = is_pending();
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  ~SigpipeBlock() {
    if (!was_pending_ && is_pending()) {
      sigset_t set;
      ::sigemptyset(&set);
      ::sigaddset(&set, SIGPIPE);
      const timespec zero{};
      while (::sigtimedwait(&set, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  static bool is_pending() {
    sigset_t pending;
    ::sigemptyset(&pending);
    return ::sigpending(&pending) == 0 && ::sigismember(&pending, SIGPIPE) == 1;
  }
  sigset_t old_mask_{};
  bool was_pending_ = false;
};

// Kills and reaps the command if we leave before it has been reaped (timeout, exception).
class Reaper {
 public:
  explicit Reaper(pid_t pid) : pid_(pid) {}
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;
  ~Reaper() {
    if (!reaped_) kill_and_reap();
  }
  // Returns true once the command has exited; its wait status is then in `status`.
  bool poll(int& status) {
    const pid_t result = ::waitpid(pid_, &status, WNOHANG);
    if (result == pid_) reaped_ = true;
    if (result < 0 && errno != EINTR) {
      reaped_ = true;  // ECHILD: someone else reaped it (SIGCHLD ignored)
      status = -1;
    }
    return reaped_;
  }
  int kill_and_reap() {
    ::kill(-pid_, SIGKILL);  // the whole process group
    ::kill(pid_, SIGKILL);
    int status = -1;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
};

model::DeliveryResult retry(std::string detail) {
  return model::DeliveryResult{model::DeliveryOutcome::Retry, std::nullopt, std::move(detail)};
}

std::string format_duration(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

model::DeliveryResult classify_exit(int status) {
  if (status == -1) return retry("exit status unknown (SIGCHLD is ignored)");
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    if (code == 0)
      return model::DeliveryResult{model::DeliveryOutcome::Delivered, std::nullopt, "exit status 0"};
    std::string detail = "exit status " + std::to_string(code);
    if (code == 126) detail += " (command not executable)";
    if (code == 127) detail += " (command not found)";
    return retry(std::move(detail));
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    std::string detail = "killed by signal " + std::to_string(signal_number);
    if (const char* name = ::sigabbrev_np(signal_number)) detail += std::string(" (SIG") + name + ")";
    return retry(std::move(detail));
  }
  return retry("exit status unknown");
}

int open_pidfd([[maybe_unused]] pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) return static_cast<int>(fd);
#endif
  return -1;
}

// Writes what the non-blocking pipe takes now from jsonl[written…]; closes it once all is
// written (EOF for the command) or when the command stopped reading (EPIPE just ends the input).
void write_available(UniqueFd& input, const std::string& jsonl, std::size_t& written) {
  while (written < jsonl.size()) {
    const std::size_t chunk = std::min<std::size_t>(jsonl.size() - written, SSIZE_MAX);
    const ssize_t n = ::write(input.get(), jsonl.data() + written, chunk);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      input.reset();
      return;
    }
  }
  input.reset();
}

}  // namespace

model::DeliveryResult run_exec_hook(const std::string& command, const std::string& jsonl,
                                    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;

  pid_t pid = -1;
  UniqueFd input;
  try {
    bp::pipe stdin_pipe;
    std::error_code spawn_error;
    bp::child child(bp::exe = "/bin/sh", bp::args = std::vector<std::string>{"-c", command},
                    bp::std_in < stdin_pipe, ChildSetup{}, spawn_error);
    if (spawn_error || !child.valid()) {
      return retry("cannot start /bin/sh: " + spawn_error.message());
    }
    pid = child.id();
    child.detach();  // from here on we wait for it ourselves
    input.reset(stdin_pipe.native_sink());
    stdin_pipe.assign_sink(-1);
  } catch (const std::exception& error) {
    return retry(std::string("cannot start /bin/sh: ") + error.what());
  }

  Reaper reaper(pid);
  ::fcntl(input.get(), F_SETFD, FD_CLOEXEC);
  ::fcntl(input.get(), F_SETFL, ::fcntl(input.get(), F_GETFL) | O_NONBLOCK);
  const UniqueFd pidfd(open_pidfd(pid));
  std::size_t written = 0;
  if (jsonl.empty()) input.reset();

  SigpipeBlock sigpipe_blocked;
  int status = -1;
  while (!reaper.poll(status)) {
    const auto now = Clock::now();
    if (now >= deadline) {
      input.reset();
      reaper.kill_and_reap();
      model::DeliveryResult result = retry("timed out after " + format_duration(timeout));
      result.timed_out = true;
      return result;
    }

    pollfd fds[2] = {};
    nfds_t count = 0;
    if (input.get() >= 0) fds[count++] = pollfd{input.get(), POLLOUT, 0};
    if (pidfd.get() >= 0) fds[count++] = pollfd{pidfd.get(), POLLIN, 0};
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    if (pidfd.get() < 0) wait = std::min(wait, kExitPollInterval);
    const int ready = ::poll(fds, count, static_cast<int>(std::min<std::int64_t>(wait.count(), INT_MAX)));
    if (ready <= 0 || input.get() < 0 || fds[0].revents == 0) continue;

    write_available(input, jsonl, written);
  }
  input.reset();
  return classify_exit(status);
}

}  // namespace usersctl::events
