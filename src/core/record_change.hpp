#pragma once
// What every change to a stored user or group does to its stamps, in one place.

#include <string>

#include "model/record_stamps.hpp"

namespace usersctl::core {

// A change to the record: a new version, stamped now (util::now_rfc3339) by `actor`.
void stamp_change(model::RecordStamps& record, const std::string& actor);

}  // namespace usersctl::core
