// The only translation unit that includes Boost.Process.
//
// Pipes are created with O_CLOEXEC, so a child started by one thread never inherits the pipe ends
// of a child another thread is starting at the same moment (which would hold a stdin open and
// delay EOF). The parent pumps stdin, stdout and stderr together with poll(2), so a child that
// writes a lot on both streams, or exits without reading its stdin, never deadlocks the test.

#include "cli_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace bp = boost::process;

namespace usersctl::e2e {

namespace {

void prepare_process_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A child that exits before reading all of its stdin must not kill the test with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    // Make sure fds 0-2 are taken, so no pipe we create lands on them.
    for (int fd = 0; fd <= 2; ++fd) {
      if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd != fd && null_fd >= 0) ::close(null_fd);
      }
    }
  });
}

bp::pipe make_cloexec_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  return bp::pipe(fds[0], fds[1]);
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void assign(int fd) {
    reset();
    fd_ = fd;
  }

 private:
  int fd_;
};

// A pseudo-terminal in raw mode (no \n -> \r\n) and 200 columns wide; both ends close-on-exec.
void open_terminal(int& master, int& slave) {
  winsize size{};
  size.ws_row = 50;
  size.ws_col = 200;
  termios raw{};
  ::cfmakeraw(&raw);
  if (::openpty(&master, &slave, nullptr, &raw, &size) != 0) {
    throw std::runtime_error(std::string("openpty: ") + std::strerror(errno));
  }
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave, F_SETFD, FD_CLOEXEC);
}

bp::environment build_environment(const RunOptions& options) {
  Environment vars;
  if (options.replace_env) {
    vars = *options.replace_env;
  } else {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string_view text(*entry);
      const auto eq = text.find('=');
      if (eq != std::string_view::npos)
        vars[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
    }
  }
  for (const auto& [key, value] : options.extra_env) vars[key] = value;
  bp::environment env;
  // set(), not operator[]: Boost 1.74's find() compares past the end of shorter entries
  // (AddressSanitizer reports it); set() checks lengths first.
  for (const auto& [key, value] : vars) env.set(key, value);
  return env;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads what is available; returns false at EOF or on a hard error.
bool drain(int fd, std::string& into) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
      if (static_cast<std::size_t>(n) < sizeof buffer) return true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno == EIO) return false;  // a pseudo-terminal whose other side is closed
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const RunResult& result) {
  os << "exit code " << result.exit_code << (result.timed_out ? " (TIMED OUT)" : "") << "\n--- stdout ("
     << result.out.size() << " bytes) ---\n"
     << result.out.substr(0, 4000) << (result.out.size() > 4000 ? "\n[...]" : "") << "\n--- stderr ("
     << result.err.size() << " bytes) ---\n"
     << result.err.substr(0, 4000) << (result.err.size() > 4000 ? "\n[...]" : "") << "\n---";
  return os;
}

const std::string& usersctl_binary() {
  static const std::string binary = [] {
    if (const char* from_env = std::getenv("USERSCTL_E2E_BINARY"); from_env != nullptr && *from_env != '\0') {
      return std::string(from_env);
    }
#ifdef USERSCTL_BINARY
    return std::string(USERSCTL_BINARY);
#else
    return std::string("usersctl");
#endif
  }();
  return binary;
}

RunResult run_process(const std::string& program, const std::vector<std::string>& args,
                      const RunOptions& options) {
  prepare_process_once();
  RunResult result;

  bp::pipe in_pipe = make_cloexec_pipe();
  bp::pipe out_pipe = make_cloexec_pipe();
  bp::pipe err_pipe = make_cloexec_pipe();
  bp::environment env = build_environment(options);
  int terminal_master = -1;
  int terminal_slave = -1;

  bp::child child;
  try {
    if (options.stdout_is_terminal) {
      open_terminal(terminal_master, terminal_slave);
      child = bp::child(
          bp::exe = program, bp::args = args,
          bp::std_in<in_pipe, bp::posix::fd.bind(STDOUT_FILENO, terminal_slave), bp::std_err> err_pipe, env);
    } else {
      child = bp::child(bp::exe = program, bp::args = args, bp::std_in<in_pipe, bp::std_out> out_pipe,
                        bp::std_err > err_pipe, env);
    }
  } catch (const std::exception& e) {
    if (terminal_master >= 0) ::close(terminal_master);
    if (terminal_slave >= 0) ::close(terminal_slave);
    result.exit_code = -1;
    result.err = std::string("e2e runner: cannot start ") + program + ": " + e.what();
    return result;
  }

  // Take the parent's ends; Boost.Process has already closed the child's ends of the pipes here.
  Fd in_w(in_pipe.native_sink());
  in_pipe.assign_sink(-1);
  Fd out_r(out_pipe.native_source());
  out_pipe.assign_source(-1);
  Fd err_r(err_pipe.native_source());
  err_pipe.assign_source(-1);
  if (options.stdout_is_terminal) {
    ::close(terminal_slave);
    out_r.reset();
    out_r.assign(terminal_master);
  }

  for (const int fd : {in_w.get(), out_r.get(), err_r.get()}) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }

  std::size_t written = 0;
  if (options.stdin_data.empty()) in_w.reset();

  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (in_w.open() || out_r.open() || err_r.open()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fds[3];
    nfds_t count = 0;
    int in_index = -1, out_index = -1, err_index = -1;
    if (in_w.open()) {
      in_index = static_cast<int>(count);
      fds[count++] = pollfd{in_w.get(), POLLOUT, 0};
    }
    if (out_r.open()) {
      out_index = static_cast<int>(count);
      fds[count++] = pollfd{out_r.get(), POLLIN, 0};
    }
    if (err_r.open()) {
      err_index = static_cast<int>(count);
      fds[count++] = pollfd{err_r.get(), POLLIN, 0};
    }
    const int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      result.err += std::string("\ne2e runner: poll: ") + std::strerror(errno);
      result.timed_out = true;
      break;
    }
    if (in_index >= 0 && fds[in_index].revents != 0) {
      const ssize_t n =
          ::write(in_w.get(), options.stdin_data.data() + written, options.stdin_data.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
        if (written == options.stdin_data.size()) in_w.reset();
      } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
        in_w.reset();  // EPIPE: the child stopped reading; it may legitimately not read stdin
      }
    }
    if (out_index >= 0 && fds[out_index].revents != 0 && !drain(out_r.get(), result.out)) out_r.reset();
    if (err_index >= 0 && fds[err_index].revents != 0 && !drain(err_r.get(), result.err)) err_r.reset();
  }

  std::error_code ec;
  if (result.timed_out) child.terminate(ec);
  child.wait(ec);
  if (ec) {
    result.exit_code = -1;
    result.err += "\ne2e runner: wait: " + ec.message();
    return result;
  }
  result.exit_code = result.timed_out ? -1 : decode_status(child.native_exit_code());
  return result;
}

RunResult run_cli(const std::vector<std::string>& args, const RunOptions& options) {
  return run_process(usersctl_binary(), args, options);
}

RunResult run_cli(const std::vector<std::string>& args, const std::string& stdin_data,
                  const Environment& extra_env, const std::optional<Environment>& replace_env) {
  RunOptions options;
  options.stdin_data = stdin_data;
  options.extra_env = extra_env;
  options.replace_env = replace_env;
  return run_cli(args, options);
}

std::vector<RunResult> run_concurrently(const std::vector<Invocation>& invocations) {
  std::vector<RunResult> results(invocations.size());
  std::latch start(static_cast<std::ptrdiff_t>(invocations.size()));
  std::vector<std::thread> threads;
  threads.reserve(invocations.size());
  for (std::size_t i = 0; i < invocations.size(); ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        results[i] = run_cli(invocations[i].args, invocations[i].options);
      } catch (const std::exception& e) {
        results[i].exit_code = -1;
        results[i].err = std::string("e2e runner: ") + e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return results;
}

}  // namespace usersctl::e2e
