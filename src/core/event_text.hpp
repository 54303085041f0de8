#pragma once
// The event envelope written straight as text: event_json()'s bytes without building a json
// value first (a bulk load writes one event a record, and building cost more than the rest of
// the event). Falls back to nothing: the caller builds the value when this declines.

#include <optional>
#include <string>

#include "core/event_envelope.hpp"

namespace usersctl::core {

// The same line event_json() makes, or nullopt for what it leaves to event_json(): setting
// changes and text that is not valid UTF-8.
std::optional<std::string> event_text(const model::Change& change, const EventHeader& header);

}  // namespace usersctl::core
