#include "webhook_receiver_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "test_files.hpp"

namespace usersctl::e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path webhook_receiver_script() { return fs::path(USERSCTL_E2E_SOURCE_DIR) / "webhook_receiver.py"; }

bool process_alive(pid_t pid) {
  // A zombie (exited, not yet reaped by whoever adopted it) counts as gone.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return ::kill(pid, 0) == 0;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'Z';
}

WebhookReceiver::WebhookReceiver(const fs::path& dir, const std::string& name, const std::string& secret,
                                 int port)
    : port_file_(dir / (name + ".port")), log_(dir / (name + ".log")), err_(dir / (name + ".err")) {
  std::string command = "python3 " + shell_quote(webhook_receiver_script().string()) + " --port-file " +
                        shell_quote(port_file_.string()) + " --log " + shell_quote(log_.string()) +
                        " --max-seconds 150";
  if (!secret.empty()) command += " --secret " + shell_quote(secret);
  if (port != 0) command += " --port " + std::to_string(port);
  // The receiver must not hold our pipes open: its streams go to files.
  command += " </dev/null >/dev/null 2>" + shell_quote(err_.string()) + " & echo $!";
  RunOptions options;
  options.timeout = 20s;
  const RunResult r = run_process("/bin/sh", {"-c", command}, options);
  if (r.exit_code != 0 || r.out.empty()) {
    ADD_FAILURE() << "cannot start the receiver: " << r;
    return;
  }
  pid_ = static_cast<pid_t>(std::stol(r.out));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(port_file_)) {
      port_ = std::stoi(read_file(port_file_));
      return;
    }
    if (!process_alive(pid_)) break;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "the receiver did not start listening; its stderr:\n" << read_file(err_);
}

std::vector<json> WebhookReceiver::requests() const {
  std::vector<json> out;
  const std::string text = read_file(log_);
  std::size_t start = 0;
  while (true) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) break;  // a line still being written
    out.push_back(json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::vector<json> WebhookReceiver::wait_for_requests(std::size_t count,
                                                     std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto got = requests();
  while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    got = requests();
  }
  return got;
}

std::string WebhookReceiver::stderr_text() const { return read_file(err_); }

void WebhookReceiver::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (process_alive(pid_) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  if (process_alive(pid_)) ::kill(pid_, SIGKILL);
  pid_ = -1;
}

}  // namespace usersctl::e2e
