#include <gtest/gtest.h>

#include "util/text.hpp"

using namespace usersctl::util;

TEST(Text, ValidatesUtf8) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Zoë 李雷 🙂"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Text, CountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("Zoë"), 3u);
  EXPECT_EQ(utf8_length("李雷"), 2u);
}

TEST(Text, FoldsCaseForLatinGreekCyrillic) {
  EXPECT_EQ(fold_case("Alice@Example.COM"), "alice@example.com");
  EXPECT_EQ(fold_case("MÜLLER"), "müller");
  EXPECT_EQ(fold_case("ŁÓDŹ"), "łódź");
  EXPECT_EQ(fold_case("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(fold_case("МОСКВА"), "москва");
  EXPECT_EQ(fold_case("李雷"), "李雷");
  EXPECT_EQ(fold_case("bad\xff"), "bad\xff");
}

TEST(Text, ExplainsUnacceptableText) {
  EXPECT_FALSE(text_problem("fine text").has_value());
  EXPECT_EQ(text_problem("a\nb").value(), "contains a line break");
  EXPECT_EQ(text_problem(std::string("a\0b", 3)).value(), "contains a NUL byte");
  EXPECT_EQ(text_problem("a\x1b[31m").value(), "contains a control character");
  EXPECT_EQ(text_problem("a\xc2\x9b").value(), "contains a control character");
  EXPECT_EQ(text_problem("a\xfe").value(), "is not valid UTF-8");
}
