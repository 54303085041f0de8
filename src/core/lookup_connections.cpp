#include "core/lookup_connections.hpp"

#include "store/connection_profile.hpp"

namespace usersctl::core {

void use_lookup_connections() { store::use_lookup_connections(); }

}  // namespace usersctl::core
