// JSON parse errors said by position, never by the text (issue 20).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "util/json_error.hpp"

using usersctl::util::json_error_description;
using usersctl::util::json_error_position;
using usersctl::util::json_parse_problem;

namespace {

// The problem nlohmann's error for `text` becomes.
std::string problem_of(const std::string& text) {
  try {
    const auto parsed = nlohmann::json::parse(text);
    return "parsed: " + parsed.dump();
  } catch (const nlohmann::json::parse_error& error) {
    return json_parse_problem(error.what(), error.byte, text);
  }
}

}  // namespace

TEST(JsonError, NamesLineColumnAndByteButNeverTheText) {
  const std::string secret = "$y$j9T$Secret5alt$hash";
  EXPECT_EQ(problem_of("{\"h\": \"" + secret),
            "line 1, column 30 (byte 29): invalid string: missing closing quote");
  EXPECT_EQ(problem_of("{\n  \"h\": \"" + secret + "\",\n}"),
            "line 3, column 1 (byte 35): unexpected '}'; expected string literal");
  EXPECT_EQ(problem_of("{\"h\": tru" + secret + "}"), "line 1, column 10 (byte 9): invalid literal");
  EXPECT_EQ(problem_of(""),
            "line 1, column 1 (byte 0): unexpected end of input; expected '[', '{', or a literal");
  for (const std::string& text : {"{\"h\": \"" + secret, "[\"" + secret + "\" \"x\"]",
                                  "{\"" + secret + "\" 1}", "\"" + secret + "\x01\""}) {
    EXPECT_EQ(problem_of(text).find("Secret5alt"), std::string::npos) << problem_of(text);
  }
}

TEST(JsonError, PositionsCountBytesAndLines) {
  EXPECT_EQ(json_error_position(1, "x").offset, 0u);
  EXPECT_EQ(json_error_position(0, "").column, 1u);
  const auto at = json_error_position(6, "ab\ncde");
  EXPECT_EQ(at.line, 2u);
  EXPECT_EQ(at.column, 3u);
  EXPECT_EQ(at.offset, 5u);
  EXPECT_EQ(json_error_position(999, "ab").offset, 2u);  // never past the text
}

TEST(JsonError, ADescriptionThatCouldHoldInputIsNotRepeated) {
  EXPECT_EQ(json_error_description("[json.exception.parse_error.101] parse error: odd \"quoted\" text"),
            "syntax error");
  EXPECT_EQ(json_error_description("no dash here"), "syntax error");
  EXPECT_EQ(json_error_description("x - unexpected end of input"), "unexpected end of input");
}
