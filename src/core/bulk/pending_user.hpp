#pragma once

#include <cstddef>

#include "store/store.hpp"

namespace usersctl::core::bulk {

// A new user waiting in the batch to be written, with the line it came from.
struct PendingUser {
  store::NewUserRow row;
  std::size_t line = 0;
};

}  // namespace usersctl::core::bulk
