// util::parse_duration: the durations of --lease, --retry-delay, --timeout and --keep-old.

#include <gtest/gtest.h>

#include "util/duration.hpp"

namespace usersctl::util {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, TakesEachUnitAndBareSeconds) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300000));
  EXPECT_EQ(parse_duration("24h"), milliseconds(86400000));
  EXPECT_EQ(parse_duration("2d"), milliseconds(172800000));
  EXPECT_EQ(parse_duration("7"), milliseconds(7000));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
}

TEST(ParseDuration, RefusesAnythingElse) {
  for (const char* bad : {"", "-1s", "s", "1x", "1.5s", "1 s", "99999999999999999d", "ms"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace usersctl::util
