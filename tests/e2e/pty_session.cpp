#include "pty_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace usersctl::e2e {

namespace {

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
}

// Appends what `fd` has to `sink`; false at end of file (or an error: a pty whose every
// slave is closed reads EIO).
bool drain(int fd, std::string& sink) {
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    sink.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

void drain_pipe(int& fd, std::string& sink) {
  if (!drain(fd, sink)) {
    ::close(fd);
    fd = -1;
  }
}

[[noreturn]] void exec_child(int slave, int out_write, int err_write, const std::string& program,
                             const std::vector<std::string>& args, const PtyOptions& options) {
  ::setsid();
  ::ioctl(slave, TIOCSCTTY, 0);
  ::dup2(slave, STDIN_FILENO);
  ::dup2(options.stdout_on_terminal ? slave : out_write, STDOUT_FILENO);
  ::dup2(options.stderr_on_terminal ? slave : err_write, STDERR_FILENO);
  if (slave > STDERR_FILENO) ::close(slave);
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : options.env) env_strings.push_back(key + "=" + value);
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  ::execve(program.c_str(), argv.data(), envp.data());
  ::_exit(127);
}

}  // namespace

PtySession::PtySession(const std::string& program, const std::vector<std::string>& args,
                       const PtyOptions& options) {
  int slave = -1;
  winsize size{};
  size.ws_col = options.columns;
  size.ws_row = options.rows;
  if (::openpty(&master_, &slave, nullptr, nullptr, &size) != 0) {
    throw std::runtime_error(std::string("openpty: ") + std::strerror(errno));
  }
  ::fcntl(master_, F_SETFD, FD_CLOEXEC);
  int out[2];
  int err[2];
  make_pipe(out);
  make_pipe(err);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) exec_child(slave, out[1], err[1], program, args, options);
  ::close(slave);
  ::close(out[1]);
  ::close(err[1]);
  out_pipe_ = out[0];
  err_pipe_ = err[0];
}

PtySession::~PtySession() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  for (const int fd : {master_, out_pipe_, err_pipe_}) {
    if (fd >= 0) ::close(fd);
  }
}

void PtySession::pump(int timeout_ms) {
  // The master stays open after the child's end (its settings are still asked), unpolled.
  pollfd fds[3] = {{screen_open_ ? master_ : -1, POLLIN, 0}, {out_pipe_, POLLIN, 0}, {err_pipe_, POLLIN, 0}};
  if (::poll(fds, 3, timeout_ms) <= 0) return;
  if (fds[0].revents && !drain(master_, screen_)) screen_open_ = false;
  if (fds[1].revents) drain_pipe(out_pipe_, out_);
  if (fds[2].revents) drain_pipe(err_pipe_, err_);
}

bool PtySession::wait_for(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (screen_.find(text) == std::string::npos) {
    if (!screen_open_ || std::chrono::steady_clock::now() > deadline) return false;
    pump(50);
  }
  return true;
}

void PtySession::type(const std::string& text) {
  if (!screen_open_) return;
  const ssize_t written = ::write(master_, text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size())) throw std::runtime_error("cannot type at the terminal");
}

bool PtySession::echo_on() const {
  termios settings{};
  return master_ >= 0 && ::tcgetattr(master_, &settings) == 0 && (settings.c_lflag & ECHO) != 0;
}

RunResult PtySession::finish(std::chrono::milliseconds timeout) {
  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool exited = false;
  // The pty master never reaches end of file while a child holds the slave: wait for the exit,
  // then read what is left.
  while (!exited) {
    pump(20);
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) exited = true;
    if (!exited && std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      result.timed_out = true;
      exited = true;
    }
  }
  pid_ = -1;
  while (out_pipe_ >= 0 || err_pipe_ >= 0) pump(200);
  for (int i = 0; i < 5 && screen_open_; ++i) pump(20);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = out_;
  result.err = err_;
  return result;
}

}  // namespace usersctl::e2e
