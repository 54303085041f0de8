#pragma once
// The cursors of resumable consumers (events consume NAME): where each one is, the lease of
// the batch it is handing out (an owner token and an expiry, as hooks have), its retry state
// and its dead letters. Every method runs inside Transactions::write() or read().

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/consumer_types.hpp"
#include "model/outbox_types.hpp"

namespace usersctl::store {

class Consumers {
 public:
  virtual ~Consumers() = default;

  // Creates the consumer at cursor 0 unless it exists.
  virtual void ensure_consumer(std::string_view name, std::string_view created_at) = 0;
  virtual std::optional<model::ConsumerState> find_consumer(std::string_view name) = 0;
  virtual std::vector<model::ConsumerState> list_consumers() = 0;
  // Removes the consumer and its dead letters; false when there was none.
  virtual bool delete_consumer(std::string_view name) = 0;

  // Takes (or, for the same owner, extends) the batch lease; false while another owner holds an
  // unexpired one.
  virtual bool claim_consumer(std::string_view name, std::string_view owner, std::int64_t now_ms,
                              std::int64_t lease_ms) = 0;
  virtual void release_consumer(std::string_view name, std::string_view owner) = 0;
  // Moves the cursor and clears the retry state, only while `owner` holds the lease; false when
  // the lease was lost (expired and taken by another process, which hands the batch out again).
  virtual bool advance_consumer(std::string_view name, std::string_view owner, std::int64_t cursor) = 0;
  virtual void record_consumer_failure(std::string_view name, int attempts, std::int64_t next_attempt_ms,
                                       std::string_view error) = 0;

  // Dead letters: events set aside after --max-attempts (requeued ones are handed out first).
  virtual void insert_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences,
                                   int attempts, std::string_view error, std::string_view dead_at) = 0;
  virtual std::vector<model::DeadLetter> dead_letters(std::string_view name) = 0;
  virtual std::vector<model::StoredEvent> requeued_events(std::string_view name, std::int64_t limit) = 0;
  // A requeued batch settled: the letters it delivered go; those it failed again are dead once more
  // (one attempt more, the new error).
  virtual void drop_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences) = 0;
  virtual void mark_dead_again(std::string_view name, const std::vector<std::int64_t>& sequences,
                               std::string_view error) = 0;
  virtual std::int64_t requeue_dead_letters(std::string_view name) = 0;

  // Outside any transaction: returns when an event may have committed, or after `timeout`.
  // PostgreSQL LISTENs for the events table's NOTIFY; SQLite sleeps (the caller polls).
  virtual void wait_for_events(std::chrono::milliseconds timeout) = 0;
};

}  // namespace usersctl::store
