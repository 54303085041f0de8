#include "userdb/listen_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "util/errors.hpp"

namespace usersctl::userdb {
namespace {

constexpr int kActivatedFd = 3;  // SD_LISTEN_FDS_START

[[noreturn]] void fail(const std::string& what, int error) {
  throw Unavailable(what + ": " + std::strerror(error));
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path))
    throw UsageError("socket path '" + path + "' is empty or longer than " +
                     std::to_string(sizeof(address.sun_path) - 1) + " bytes");
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

void make_parent_directory(const std::string& path) {
  for (auto slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string directory = path.substr(0, slash);
    if (::mkdir(directory.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create " + directory, errno);
  }
}

// A socket file nobody answers on is what a crashed server leaves behind; one that still
// answers belongs to a running server that must not be hijacked.
void remove_stale_socket(const std::string& path, const sockaddr_un& address) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return;
  if (!S_ISSOCK(info.st_mode)) throw Conflict(path + " exists and is not a socket");
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (probe && ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0)
    throw Conflict("another server is listening on " + path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove stale socket " + path, errno);
}

std::string bound_path(int fd) {
  sockaddr_un address{};
  socklen_t length = sizeof(address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 || address.sun_family != AF_UNIX)
    return {};
  return std::string(address.sun_path, ::strnlen(address.sun_path, sizeof(address.sun_path)));
}

}  // namespace

std::string service_name_of(const std::string& socket_path) {
  const auto slash = socket_path.rfind('/');
  return slash == std::string::npos ? socket_path : socket_path.substr(slash + 1);
}

ListenSocket take_activated_socket() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds || std::strtol(pid, nullptr, 10) != ::getpid() || std::strtol(fds, nullptr, 10) < 1)
    return {};
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  ::fcntl(kActivatedFd, F_SETFD, FD_CLOEXEC);
  ListenSocket socket{UniqueFd(kActivatedFd), bound_path(kActivatedFd), false};
  if (socket.path.empty())
    throw UsageError("the socket passed by systemd (fd 3) is not a bound AF_UNIX socket");
  return socket;
}

ListenSocket bind_listen_socket(const std::string& path) {
  const sockaddr_un address = address_of(path);
  make_parent_directory(path);
  remove_stale_socket(path, address);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) fail("socket", errno);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
    fail("cannot bind " + path, errno);
  ListenSocket socket{std::move(fd), path, true};
  // Every process on the host resolves users through this socket, whatever its uid.
  if (::chmod(path.c_str(), 0666) != 0 || ::listen(socket.fd.get(), SOMAXCONN) != 0) {
    const int error = errno;
    remove_socket_file(socket);
    fail("cannot listen on " + path, error);
  }
  return socket;
}

void remove_socket_file(const ListenSocket& socket) {
  if (socket.bound_here) ::unlink(socket.path.c_str());
}

}  // namespace usersctl::userdb
