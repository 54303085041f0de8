#include "output/compact_json.hpp"

#include <charconv>

#include "util/json_text.hpp"

namespace usersctl::output {

namespace {

// Byte for byte as dump() writes it; text that is not UTF-8 (validation keeps such bytes out; this
// is defence in depth) is left to nlohmann's replacement rules, rare as it is.
void append_string(std::string& out, const std::string& text) {
  if (!util::append_json_string(out, text))
    out += Record(text).dump(-1, ' ', false, Record::error_handler_t::replace);
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

void append_compact_json(std::string& out, const Record& value) {
  switch (value.type()) {
    case Record::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_string(out, it.key());
        out += ':';
        append_compact_json(out, it.value());
      }
      out += '}';
      return;
    }
    case Record::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        append_compact_json(out, element);
      }
      out += ']';
      return;
    }
    case Record::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case Record::value_t::number_integer:
      append_integer(out, value.get<std::int64_t>());
      return;
    case Record::value_t::number_unsigned:
      append_integer(out, value.get<std::uint64_t>());
      return;
    case Record::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Record::value_t::null:
      out += "null";
      return;
    default:  // floats and binary never occur in records; stay exact anyway
      out += value.dump(-1, ' ', false, Record::error_handler_t::replace);
  }
}

}  // namespace usersctl::output
