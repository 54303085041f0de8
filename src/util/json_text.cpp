#include "util/json_text.hpp"

#include <array>

#include "util/text.hpp"

namespace usersctl::util {

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

}  // namespace

bool append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run_start = 0;  // plain runs are copied in one go
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kByteClass[c] == 0) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t next = i;
      if (!decode_utf8(text, next)) {
        out.resize(start);
        return false;
      }
      i = next;
      continue;
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
  return true;
}

}  // namespace usersctl::util
