#pragma once

#include <cstddef>
#include <vector>

#include "model/ssh_key.hpp"
#include "store/store.hpp"

namespace usersctl::core::bulk {

// A new user waiting in the batch to be written, with the line it came from.
struct PendingUser {
  store::NewUserRow row;
  std::size_t line = 0;
  std::vector<model::SshKey> ssh_keys;  // a dump's, written once the row has its id
};

}  // namespace usersctl::core::bulk
