#include "util/json_error.hpp"

#include <algorithm>

namespace usersctl::util {

TextPosition json_error_position(std::size_t byte, std::string_view text) {
  TextPosition at;
  at.offset = std::min(byte > 0 ? byte - 1 : 0, text.size());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at.offset; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      line_start = i + 1;
    }
  }
  at.column = at.offset - line_start + 1;
  return at;
}

// nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
// parsing value - invalid literal; last read: 'TEXT'; expected ...". What follows " - " is either a
// fixed lexer message and "; last read: 'TEXT'" (cut there), or "unexpected <token kind>" and
// "; expected <token kind>", which hold no input.
std::string json_error_description(std::string_view what) {
  const auto dash = what.find(" - ");
  if (dash == std::string_view::npos) return "syntax error";
  std::string_view rest = what.substr(dash + 3);
  const auto last_read = rest.find("; last read:");
  if (last_read != std::string_view::npos) rest = rest.substr(0, last_read);
  // Fixed messages and token kinds only: anything else could be input, and is not repeated.
  const bool plain = std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(" ;:,-+()'<>[]{}\\/").find(c) != std::string_view::npos;
  });
  return plain && !rest.empty() ? std::string(rest) : "syntax error";
}

std::string json_parse_problem(std::string_view what, std::size_t byte, std::string_view text) {
  const TextPosition at = json_error_position(byte, text);
  return "line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + " (byte " +
         std::to_string(at.offset) + "): " + json_error_description(what);
}

}  // namespace usersctl::util
