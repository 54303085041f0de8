#pragma once

#include <string>

namespace usersctl::util {

// A random (version 4) UUID in its canonical text form.
std::string random_uuid();

}  // namespace usersctl::util
