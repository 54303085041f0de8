#include "hook_queries.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace usersctl::e2e {

int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::vector<json> list_hooks(const E2eSandbox& sandbox) {
  const RunResult r = sandbox.cli({"hook", "list"});
  EXPECT_TRUE(Succeeded(r)) << "hook list";
  return parse_jsonl(r.out);
}

json hook_status(const E2eSandbox& sandbox, std::int64_t hook) {
  const RunResult r = sandbox.cli({"events", "status"});
  EXPECT_TRUE(Succeeded(r)) << "events status";
  for (json& record : parse_jsonl(r.out)) {
    if (record.value("hook", std::int64_t{-1}) == hook) return record;
  }
  ADD_FAILURE() << "events status has no record for hook " << hook << "\n" << r;
  return json::object();
}

}  // namespace usersctl::e2e
