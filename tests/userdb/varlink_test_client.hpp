#pragma once
// A minimal blocking Varlink client for the userdb tests: sends one call, reads replies until
// one without `continues`.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace usersctl::userdb::testing {

class VarlinkTestClient {
 public:
  explicit VarlinkTestClient(const std::string& path)
      : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~VarlinkTestClient() { ::close(fd_); }
  VarlinkTestClient(const VarlinkTestClient&) = delete;
  VarlinkTestClient& operator=(const VarlinkTestClient&) = delete;

  bool connected() const { return connected_; }

  bool send_raw(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  // One reply, or a null json when the server closed the connection or `timeout_ms` passed.
  nlohmann::json read_reply(int timeout_ms = 5000) {
    for (;;) {
      const auto end = buffer_.find('\0');
      if (end != std::string::npos) {
        auto reply = nlohmann::json::parse(buffer_.substr(0, end));
        buffer_.erase(0, end + 1);
        return reply;
      }
      pollfd in{fd_, POLLIN, 0};
      if (::poll(&in, 1, timeout_ms) <= 0) return nullptr;
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return nullptr;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  std::vector<nlohmann::json> call(const std::string& method, const nlohmann::json& parameters,
                                   bool more = false, int timeout_ms = 5000) {
    nlohmann::json message = {{"method", method}, {"parameters", parameters}};
    if (more) message["more"] = true;
    std::string bytes = message.dump();
    bytes.push_back('\0');
    std::vector<nlohmann::json> replies;
    if (!send_raw(bytes)) return replies;
    for (;;) {
      auto reply = read_reply(timeout_ms);
      if (reply.is_null()) return replies;
      replies.push_back(reply);
      if (!reply.value("continues", false)) return replies;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

}  // namespace usersctl::userdb::testing
