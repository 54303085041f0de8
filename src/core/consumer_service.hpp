#pragma once
// Resumable consumers (`events consume NAME --exec CMD`): the events after NAME's cursor handed to
// CMD as JSON Lines, a batch at a time, at least once. The cursor moves past a batch only when CMD
// exits 0, in one transaction with the cursor row; a failing batch is retried with backoff and,
// after max_attempts, set aside as dead letters. A batch is out under a lease (owner token, expiry,
// renewed while CMD runs), so several processes consuming one name never hand out a batch twice
// at once, and a batch whose process died is handed out again when its lease expires.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/consumer_types.hpp"

namespace usersctl::store {
class Database;
}

namespace usersctl::core {

struct ConsumeOptions {
  std::string name;  // the group-name rule
  std::string command;
  std::int64_t batch = 100;
  std::string types = "*";
  bool follow = false;
  int max_attempts = 5;
  std::optional<std::string> exclude_actor;  // skip events this actor caused
  std::chrono::milliseconds lease{30000};
  std::chrono::milliseconds retry_delay{1000};  // doubled per failed attempt, at most 5 min
  std::chrono::milliseconds timeout{600000};    // one run of CMD
  // --follow: waits up to the given time for new events (polling, or a wake-up); returns false
  // to stop (the reader of our output went away).
  std::function<bool(std::chrono::milliseconds)> wait;
  std::function<void(const std::string&)> warn;
};

struct ConsumeSummary {
  std::int64_t batches = 0;  // handed to CMD and acknowledged
  std::int64_t events = 0;
  std::int64_t dead = 0;  // events set aside in this run
  bool waiting = false;   // a failed batch waits for its next attempt (exit 7)
};

struct ConsumerReport {
  model::ConsumerState state;
  std::int64_t lag = 0;  // events after the cursor
};

class ConsumerService {
 public:
  explicit ConsumerService(store::Database& db) : db_(db) {}

  ConsumeSummary consume(const ConsumeOptions& options);
  std::vector<ConsumerReport> consumers();
  // NotFound for an unknown consumer.
  std::vector<model::DeadLetter> dead_letters(const std::string& name);
  std::int64_t retry_dead(const std::string& name);
  void remove(const std::string& name);
  // Waits up to `timeout` for new events (events tail --follow): on PostgreSQL woken by
  // LISTEN/NOTIFY as soon as one commits; elsewhere (SQLite, a pooler that cannot pass
  // notifications on) it just sleeps, and the caller polls.
  void wait_for_events(std::chrono::milliseconds timeout);

 private:
  store::Database& db_;
};

}  // namespace usersctl::core
