#pragma once
// Rows of the resumable consumers (events consume): one cursor per consumer name, with the lease
// of the batch being handed out and the retry state of the batch at the cursor, and the events
// set aside as dead letters.

#include <cstdint>
#include <optional>
#include <string>

namespace usersctl::model {

struct ConsumerState {
  std::string name;
  std::int64_t cursor = 0;  // the last sequence acknowledged (CMD exited 0) or skipped
  int attempts = 0;         // failed attempts of the batch after the cursor
  std::int64_t next_attempt_ms = 0;
  std::optional<std::string> last_error;
  std::int64_t lease_until = 0;  // unix ms; a batch is out while this is in the future
  std::string created_at;
  std::int64_t dead_letters = 0;  // set aside, not requeued
  std::int64_t requeued = 0;      // dead letters waiting to be handed out again
};

struct DeadLetter {
  std::int64_t sequence = 0;
  std::string type;
  int attempts = 0;
  std::optional<std::string> error;
  std::string dead_at;
  bool requeued = false;
};

}  // namespace usersctl::model
