#include <gtest/gtest.h>

#include <string>

#include "util/errors.hpp"
#include "util/id_range.hpp"
#include "util/quote.hpp"

namespace usersctl::util {
namespace {

template <typename Parse>
std::string error_of(Parse parse) {
  try {
    parse();
  } catch (const Invalid& error) {
    return error.what();
  }
  return "(accepted)";
}

std::string id_error(std::string_view text) {
  return error_of([&] { parse_decimal_id(text, "--uid"); });
}

std::string range_error(std::string_view text) {
  return error_of([&] { parse_id_range(text, "uid range"); });
}

TEST(UtilIdRange, ParsesDecimalIds) {
  EXPECT_EQ(parse_decimal_id("0", "--uid"), 0u);
  EXPECT_EQ(parse_decimal_id("1000", "--uid"), 1000u);
  EXPECT_EQ(parse_decimal_id("4294967294", "--uid"), 4294967294u);
  // Reserved ids are the caller's decision (reserved_id_reason), not a syntax error.
  EXPECT_EQ(parse_decimal_id("65534", "--gid"), 65534u);
}

TEST(UtilIdRange, RefusesAnythingButPlainDecimal) {
  EXPECT_EQ(id_error("010"), "--uid: '010' is not a decimal number");
  for (const std::string_view text :
       {"", "00", "-1", "+1", " 1", "1 ", "0x10", "1e3", "1.0", "12a", "\xd9\xa3"}) {
    EXPECT_EQ(id_error(text), "--uid: " + quote_value(text) + " is not a decimal number") << text;
  }
  try {
    parse_decimal_id("-5", "--gid");
    FAIL();
  } catch (const Invalid& error) {
    EXPECT_EQ(std::string(error.what()), "--gid: '-5' is not a decimal number");
    EXPECT_EQ(error.hint(), "ids are decimal numbers without sign, spaces or leading zeros");
    EXPECT_EQ(error.code(), ExitCode::Invalid);
  }
}

TEST(UtilIdRange, RefusesIdsBeyondTheLargestUsable) {
  EXPECT_EQ(id_error("4294967295"), "--uid: '4294967295' is out of range (0-4294967294)");
  EXPECT_EQ(id_error("4294967296"), "--uid: '4294967296' is out of range (0-4294967294)");
  EXPECT_EQ(id_error("99999999999999999999999"),
            "--uid: '99999999999999999999999' is out of range (0-4294967294)");
}

TEST(UtilIdRange, QuotesLongOrControlValuesSafely) {
  EXPECT_EQ(id_error(std::string(100, '7') + "x"),
            "--uid: '" + std::string(40, '7') + "...' is not a decimal number");
  EXPECT_EQ(id_error("1\n2"), "--uid: '1?2' is not a decimal number");
  EXPECT_EQ(quote_value("caf\xc3\xa9\x1b[31m"), "'caf???[31m'");
  EXPECT_EQ(quote_value("abcdef", 3), "'abc...'");
  EXPECT_EQ(quote_value(""), "''");
}

TEST(UtilIdRange, ParsesRanges) {
  EXPECT_EQ(parse_id_range("1000-59999", "uid range"), (IdRange{1000, 59999}));
  EXPECT_EQ(parse_id_range("0-0", "uid range"), (IdRange{0, 0}));
  EXPECT_EQ(parse_id_range("5-5", "uid range"), (IdRange{5, 5}));
  EXPECT_EQ(parse_id_range("0-4294967294", "uid range"), (IdRange{0, kMaxId}));
  const IdRange range{1000, 1999};
  EXPECT_TRUE(range.contains(1000));
  EXPECT_TRUE(range.contains(1999));
  EXPECT_FALSE(range.contains(999));
  EXPECT_FALSE(range.contains(2000));
  EXPECT_FALSE(range.contains(4294968296ULL));  // 1000 + 2^32: no truncation to 32 bits
}

TEST(UtilIdRange, RefusesMalformedRanges) {
  for (const std::string_view text :
       {"", "1000", "1000-", "-2000", "-", "1000--2000", "1000 - 2000", "01000-2000", "1000-02000",
        "1000-2000-3000", "+1-5", "a-b", "1000:2000"}) {
    EXPECT_EQ(range_error(text),
              "uid range: " + quote_value(text) + " is not a range LOW-HIGH of decimal ids (e.g. 1000-59999)")
        << text;
  }
}

TEST(UtilIdRange, RefusesRangesOutOfOrderOrTooLarge) {
  EXPECT_EQ(range_error("2000-1000"),
            "uid range: '2000-1000': the low end 2000 is greater than the high end 1000");
  EXPECT_EQ(range_error("0-4294967295"),
            "uid range: '0-4294967295': '4294967295' is out of range (0-4294967294)");
  EXPECT_EQ(range_error("4294967296-4294967297"),
            "uid range: '4294967296-4294967297': '4294967296' is out of range (0-4294967294)");
}

TEST(UtilIdRange, ReservedIdsSayWhy) {
  EXPECT_EQ(reserved_id_reason(65534).value(),
            "reserved for 'nobody', the overflow id unmappable ids are shown as");
  EXPECT_EQ(reserved_id_reason(65535).value(), "reserved: it is (uid_t)-1 to programs built for 16-bit ids");
  EXPECT_EQ(reserved_id_reason(4294967295).value(),
            "reserved: it is (uid_t)-1, which chown() and setresuid() read as 'no change'");
  EXPECT_EQ(reserved_id_reason(4294967296).value(), "beyond the 32-bit id range (0-4294967294)");
  EXPECT_EQ(reserved_id_message("uid", 60100).value(),
            "uid 60100 is reserved by systemd for systemd-homed users (60001-60513)");
  EXPECT_EQ(reserved_id_message("gid", 61184).value(),
            "gid 61184 is reserved by systemd for dynamic service users, DynamicUser= (61184-65519)");
}

TEST(UtilIdRange, ReservedRangesHaveExactEdges) {
  for (const std::uint64_t id : {60001ULL, 60513ULL, 61184ULL, 65519ULL, 65534ULL, 65535ULL, 4294967295ULL}) {
    EXPECT_TRUE(reserved_id_reason(id).has_value()) << id;
  }
  for (const std::uint64_t id : {0ULL, 1ULL, 999ULL, 1000ULL, 60000ULL, 60514ULL, 61183ULL, 65520ULL,
                                 65533ULL, 65536ULL, 100000ULL, 4294967294ULL}) {
    EXPECT_FALSE(reserved_id_reason(id).has_value()) << id;
    EXPECT_FALSE(reserved_id_message("uid", id).has_value()) << id;
  }
}

}  // namespace
}  // namespace usersctl::util
