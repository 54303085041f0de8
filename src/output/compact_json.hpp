#pragma once
// A fast compact JSON serializer for records, byte-identical to nlohmann's dump() for the
// values records hold (objects, arrays, strings, integers, booleans, null). JSON Lines of
// a million users spend most of their time here, and nlohmann's general serializer costs
// three times as much per record.

#include <string>

#include "output/record_writer.hpp"

namespace usersctl::output {

// Appends `value` as compact JSON. Invalid UTF-8 bytes become U+FFFD, as dump() with
// error_handler_t::replace does.
void append_compact_json(std::string& out, const Record& value);

}  // namespace usersctl::output
