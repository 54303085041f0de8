#pragma once
// Delivering events to hooks: what one attempt came to, how a round of deliveries is run, and
// what it achieved. The event sinks produce these; core and the CLI read them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace usersctl::model {

enum class DeliveryOutcome {
  Delivered,  // the receiver took it (HTTP 2xx, exit status 0)
  Retry,      // try again later (errors, timeouts, other statuses, non-zero exits)
  Gone,       // HTTP 410: the receiver asks us to stop; the hook should be disabled
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::Retry;
  // Set when the receiver said when to come back (Retry-After on 429/503); never negative.
  std::optional<std::int64_t> retry_after_seconds;
  // One short line for warnings and `events status`: "HTTP 500", "timed out after 10 s", "exit status 3".
  std::string detail;
  bool timed_out = false;  // the attempt ran out of time (rather than being answered)
};

enum class Backoff { Honour, Ignore };  // events deliver [--now]

struct DispatchOptions {
  Backoff backoff = Backoff::Honour;
  // A webhook's connection limit; each attempt's whole limit is the hook's own timeout.
  std::chrono::milliseconds connect_timeout{5000};
  // A limit on the time the round's attempts take together (the quick delivery after a change).
  // Each gets at most what is left; one cut short by it is not counted as an attempt, and hooks
  // it leaves no time for are not tried: both stay pending, as they were, for `events deliver`.
  std::optional<std::chrono::milliseconds> budget;
};

struct DispatchSummary {
  std::int64_t delivered = 0;
  std::vector<std::string> problems;   // one line per hook that failed this round
  std::vector<std::string> postponed;  // one line per hook the budget cut short or left untried
  // One line per hook with pending deliveries that another process's lease kept from this round.
  std::vector<std::string> held;
};

}  // namespace usersctl::model
