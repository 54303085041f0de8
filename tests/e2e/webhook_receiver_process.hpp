#pragma once
// webhook_receiver.py (an independent, signature-checking HTTP receiver) as a background process
// for one test, shared by the hook and secrets suites.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {

// tests/e2e/webhook_receiver.py (by absolute path: __FILE__ is relative when ccache rewrites paths).
std::filesystem::path webhook_receiver_script();

// False once `pid` has exited (a zombie counts as gone).
bool process_alive(pid_t pid);

// Stopped (by pid) when it goes out of scope. Each request it got is one JSON object in
// requests(): path, headers (lower-cased), body, signature_ok (true/false, or null without a
// secret), status (what it answered).
class WebhookReceiver {
 public:
  WebhookReceiver(const std::filesystem::path& dir, const std::string& name, const std::string& secret = {},
                  int port = 0);
  ~WebhookReceiver() { stop(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  bool listening() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<json> requests() const;
  // The requests once there are at least `count` (or whatever came within the timeout).
  std::vector<json> wait_for_requests(std::size_t count,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  std::string stderr_text() const;
  void stop();

 private:
  std::filesystem::path port_file_;
  std::filesystem::path log_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace usersctl::e2e
