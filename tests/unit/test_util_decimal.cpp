#include <gtest/gtest.h>

#include <cstdint>

#include "util/decimal.hpp"

namespace usersctl::util {
namespace {

constexpr std::uint64_t kInt64Max = 9223372036854775807ULL;

TEST(Decimal, AcceptsPlainDigitsUpToTheMaximum) {
  EXPECT_EQ(parse_decimal("0", 10).value, 0u);
  EXPECT_EQ(parse_decimal("10", 10).value, 10u);
  EXPECT_EQ(parse_decimal("10", 10).status, DecimalStatus::Ok);
  EXPECT_EQ(parse_decimal("9223372036854775807", kInt64Max).value, kInt64Max);
}

TEST(Decimal, RefusesWhatOtherReadersBendIntoANumber) {
  for (const char* text : {"", "010", "00", "+5", "-1", " 5", "5 ", "0x10", "5x", "1e3", "١"}) {
    EXPECT_EQ(parse_decimal(text, kInt64Max).status, DecimalStatus::NotDecimal) << "'" << text << "'";
  }
}

TEST(Decimal, TooLargeWithoutOverflowing) {
  EXPECT_EQ(parse_decimal("11", 10).status, DecimalStatus::TooLarge);
  EXPECT_EQ(parse_decimal("9223372036854775808", kInt64Max).status, DecimalStatus::TooLarge);
  EXPECT_EQ(parse_decimal("99999999999999999999", kInt64Max).status, DecimalStatus::TooLarge);
  EXPECT_EQ(parse_decimal("18446744073709551616", kInt64Max).status, DecimalStatus::TooLarge);
  EXPECT_EQ(parse_decimal("99999999999", 4294967294).status, DecimalStatus::TooLarge);
}

}  // namespace
}  // namespace usersctl::util
