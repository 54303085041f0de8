#include <gtest/gtest.h>

#include "events/retry_schedule.hpp"

using namespace usersctl::events;
using namespace std::chrono;

TEST(RetrySchedule, GrowsFromSecondsToADayOverAboutThreeDays) {
  EXPECT_EQ(retry_delay(1).value(), seconds(5));
  EXPECT_EQ(retry_delay(2).value(), minutes(5));
  milliseconds total{0};
  int attempts = 1;
  for (; retry_delay(attempts); ++attempts) {
    if (attempts > 1) {
      EXPECT_GE(retry_delay(attempts).value(), retry_delay(attempts - 1).value());
    }
    total += retry_delay(attempts).value();
  }
  EXPECT_EQ(attempts, 10);  // nine waits: ten attempts in all, then failed
  EXPECT_GT(total, hours(60));
  EXPECT_LT(total, hours(90));
  EXPECT_FALSE(retry_delay(0).has_value());
}

TEST(RetrySchedule, JitterStaysWithinTwentyPercent) {
  for (int i = 0; i < 200; ++i) {
    const auto delay = jittered_retry_delay(3).value();
    EXPECT_GE(delay, milliseconds(minutes(30)) * 8 / 10);
    EXPECT_LE(delay, milliseconds(minutes(30)) * 12 / 10);
  }
  EXPECT_FALSE(jittered_retry_delay(10).has_value());
}
