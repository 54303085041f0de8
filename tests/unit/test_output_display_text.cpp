#include <gtest/gtest.h>

#include "output/display_text.hpp"

namespace usersctl::output {
namespace {

TEST(TerminalSafe, PrintableTextIsUnchanged) {
  EXPECT_EQ(terminal_safe("Zoë Müller 李雷"), "Zoë Müller 李雷");
  EXPECT_EQ(terminal_safe(""), "");
}

TEST(TerminalSafe, ReplacesC0DelAndC1Controls) {
  EXPECT_EQ(terminal_safe("a\x1b[31mred"), "a?[31mred");
  EXPECT_EQ(terminal_safe("tab\there\nnl\r"), "tab?here?nl?");
  EXPECT_EQ(terminal_safe("del\x7f"), "del?");
  EXPECT_EQ(terminal_safe("csi\xc2\x9b"
                          "2J"),
            "csi?2J");  // U+009B, the 8-bit CSI
  EXPECT_EQ(terminal_safe(std::string("nul\0x", 5)), "nul?x");
}

TEST(TerminalSafe, ReplacesBidiOverridesAndMalformedBytes) {
  EXPECT_EQ(terminal_safe("a\xe2\x80\xae"
                          "b"),
            "a?b");  // U+202E RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(terminal_safe("a\xe2\x81\xa6"
                          "b"),
            "a?b");  // U+2066 LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(terminal_safe("x\xff\xfey"), "x??y");
  EXPECT_EQ(terminal_safe("cut\xc3"), "cut?");
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(display_width("alice"), 5u);
  EXPECT_EQ(display_width("Zoë Müller"), 10u);
  EXPECT_EQ(display_width("李雷"), 4u);
  EXPECT_EQ(display_width("e\xcc\x81"), 1u);         // e + COMBINING ACUTE ACCENT
  EXPECT_EQ(display_width("\xf0\x9f\x98\x80"), 2u);  // U+1F600
  EXPECT_EQ(display_width(""), 0u);
}

TEST(TruncateToWidth, ShortTextIsUnchanged) {
  EXPECT_EQ(truncate_to_width("Zoë", 3), "Zoë");
  EXPECT_EQ(truncate_to_width("", 0), "");
}

TEST(TruncateToWidth, LongTextEndsWithAnEllipsisWithinTheWidth) {
  EXPECT_EQ(truncate_to_width("abcdefgh", 5), "abcd…");
  EXPECT_EQ(truncate_to_width("Müllerstraße", 6), "Mülle…");
  EXPECT_EQ(display_width(truncate_to_width("Müllerstraße", 6)), 6u);
}

TEST(TruncateToWidth, NeverSplitsAWideCharacter) {
  EXPECT_EQ(truncate_to_width("李雷李雷", 6), "李雷…");  // 5 columns: a third 李 would not fit
  EXPECT_EQ(truncate_to_width("李雷李雷", 7), "李雷李…");
}

}  // namespace
}  // namespace usersctl::output
