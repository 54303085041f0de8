#include "events/retry_schedule.hpp"

#include <array>
#include <random>

namespace usersctl::events {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: about 75 hours after the first try.
const std::array<std::chrono::milliseconds, 9> kDelays = {
    seconds(5), minutes(5), minutes(30), hours(2), hours(5), hours(10), hours(14), hours(20), hours(24)};

}  // namespace

std::optional<std::chrono::milliseconds> retry_delay(int attempts) {
  if (attempts < 1 || attempts > static_cast<int>(kDelays.size())) return std::nullopt;
  return kDelays[static_cast<std::size_t>(attempts - 1)];
}

std::optional<std::chrono::milliseconds> jittered_retry_delay(int attempts) {
  const auto delay = retry_delay(attempts);
  if (!delay) return std::nullopt;
  static std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.8, 1.2);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(delay->count()) * factor(generator)));
}

}  // namespace usersctl::events
