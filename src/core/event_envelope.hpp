#pragma once
// The CloudEvents 1.0 envelope of the man page (EVENT FORMAT), one JSON line per event.

#include <cstdint>
#include <string>

#include "model/change.hpp"

namespace usersctl::core {

struct EventHeader {
  std::int64_t sequence = 0;
  std::string id;
  std::string time;
  std::string actor;
};

// "users/alice" or "groups/dev".
std::string event_subject(const model::Change& change);
// "user:17", "group:3" or "setting:KEY": the CloudEvents partitioning extension.
std::string event_partition_key(const model::Change& change);
// The compact JSON line (no newline): specversion, id, source, type, time, subject,
// sequence (a string, as CloudEvents' sequence extension wants), datacontenttype, data.
std::string event_json(const model::Change& change, const EventHeader& header);
// The same line built as a json value and dumped: what event_json() must match byte for byte.
std::string event_json_value(const model::Change& change, const EventHeader& header);

}  // namespace usersctl::core
