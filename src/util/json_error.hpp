#pragma once
// A JSON parse error said without quoting the input: nlohmann's message ends with "last read:
// '…'", the text it choked on, which may be a password hash or a database URL.

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl::util {

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
  std::size_t offset = 0;  // 0-based byte offset
};

// Where in `text` a parse error at nlohmann's parse_error::byte (the bytes read, the offending one
// included) lies.
TextPosition json_error_position(std::size_t byte, std::string_view text);
// What is wrong, from nlohmann's message `what`, with the input it quotes removed: "invalid
// literal", "unexpected end of input; expected '[', '{', or a literal", ...
std::string json_error_description(std::string_view what);
// "line L, column C (byte B): <description>", for a document of several lines.
std::string json_parse_problem(std::string_view what, std::size_t byte, std::string_view text);

}  // namespace usersctl::util
