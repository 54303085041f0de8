#pragma once
// The AF_UNIX socket the service listens on: either handed over by systemd (socket activation,
// LISTEN_FDS/LISTEN_PID, fd 3) or bound here. nss-systemd asks every socket in
// /run/systemd/userdb/ and passes the socket's file name as `service`, so the file name is the
// service name.

#include <string>

#include "userdb/unique_fd.hpp"

namespace usersctl::userdb {

inline constexpr const char* kDefaultSocketPath = "/run/systemd/userdb/io.usersctl.UserDatabase";

struct ListenSocket {
  UniqueFd fd;
  std::string path;
  bool bound_here = false;  // we created the file, so we remove it on stop
};

// The file name of a socket path: "io.usersctl.UserDatabase".
std::string service_name_of(const std::string& socket_path);

// The socket systemd passed, if LISTEN_PID names this process (the variables are then unset,
// so children do not claim it). An empty fd otherwise.
ListenSocket take_activated_socket();

// Creates the parent directory if missing, replaces a stale socket file (refuses when a server
// still answers on it), binds with mode 0666 and listens with SOMAXCONN. Throws usersctl::Error.
ListenSocket bind_listen_socket(const std::string& path);

// Removes the socket file when it was bound here.
void remove_socket_file(const ListenSocket& socket);

}  // namespace usersctl::userdb
