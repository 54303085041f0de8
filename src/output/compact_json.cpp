#include "output/compact_json.hpp"

#include <array>
#include <charconv>

#include "util/text.hpp"

namespace usersctl::output {

namespace {

void append_escaped_control(std::string& out, unsigned char c) {
  switch (c) {
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
}

// What each byte needs: 0 nothing, 1 an escape, 2 a UTF-8 check.
constexpr auto kByteClass = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = 1;
  table['"'] = table['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) table[static_cast<std::size_t>(c)] = 2;
  return table;
}();

void append_string(std::string& out, const std::string& text) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run_start = 0;  // copy plain runs in one go
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kByteClass[c] == 0) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t next = i;
      if (util::decode_utf8(text, next)) {
        i = next;
        continue;
      }
      // Not UTF-8 (validation keeps such bytes out; this is defence in depth): let
      // nlohmann's replacement rules handle the whole string, rare as it is.
      out.resize(start);
      out += Record(text).dump(-1, ' ', false, Record::error_handler_t::replace);
      return;
    }
    out.append(text, run_start, i - run_start);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      append_escaped_control(out, c);
    }
    run_start = ++i;
  }
  out.append(text, run_start, text.size() - run_start);
  out += '"';
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
