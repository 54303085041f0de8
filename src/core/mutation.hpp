#pragma once
// Runs each mutation as one write transaction and writes its events, and a delivery per
// matching hook, in that same transaction (the transactional outbox): a change commits
// with its events or not at all.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/change.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"
#include "store/transactions.hpp"

namespace usersctl::core {

// Turns changes into events inside the open write transaction, writing them in batches as
// they come so that a bulk mutation's memory stays flat however many records it changes.
class EventStream {
 public:
  EventStream(store::Outbox& outbox, const std::string& actor);
  void add(const model::Change& change);
  // Writes what is buffered; called before the transaction commits.
  void flush();
  std::int64_t first_sequence() const { return first_sequence_; }
  std::int64_t last_sequence() const { return next_sequence_ - 1; }
  bool queued_deliveries() const { return queued_; }

 private:
  void start();

  store::Outbox& outbox_;
  const std::string& actor_;
  bool started_ = false;
  std::vector<model::Hook> hooks_;
  std::int64_t first_sequence_ = 1;
  std::int64_t next_sequence_ = 1;
  std::string time_;
  std::int64_t now_ms_ = 0;
  std::vector<model::StoredEvent> pending_;
  bool queued_ = false;
};

class MutationRunner {
 public:
  MutationRunner(store::Transactions& transactions, store::Store& records, store::Outbox& outbox,
                 std::string actor)
      : transactions_(transactions), records_(records), outbox_(outbox), actor_(std::move(actor)) {}

  // Runs `work` in one write transaction. `work` appends what it changed; nothing is kept
  // when it throws. Returns the committed changes (empty for a no-op).
  std::vector<model::Change> run(const std::function<void(std::vector<model::Change>&)>& work);
  // The same for bulk work (import, apply): `work` hands each change to the stream as it
  // happens instead of collecting them. Returns how many changes were committed.
  std::int64_t run_bulk(const std::function<void(EventStream&)>& work);

  const std::string& actor() const { return actor_; }
  // Called with every change of a `run`, inside its transaction, just before it commits; it may
  // throw to roll them all back (a dry run shows them, a confirmation compares them). Empty: none.
  using Review = std::function<void(const std::vector<model::Change>&)>;
  void set_review(Review review) { review_ = std::move(review); }
  // Every event this process committed, in order (for --events), read back from the store.
  void committed_events(const std::function<void(const model::StoredEvent&)>& sink);
  // Whether this process committed any event (without reading them back).
  bool committed() const { return !committed_ranges_.empty(); }
  // Whether any committed event was queued for a hook.
  bool queued_deliveries() const { return queued_deliveries_; }
  // Whether a committed run saw anything the housekeeping may age out (core/housekeeping.hpp).
  bool housekeeping_due() const { return housekeeping_due_; }

 private:
  store::Transactions& transactions_;
  store::Store& records_;
  store::Outbox& outbox_;
  std::string actor_;
  // The sequence range [first, last] of each committed run: a run's events are contiguous,
  // as writers hold the write lock for the whole transaction.
  std::vector<std::pair<std::int64_t, std::int64_t>> committed_ranges_;
  bool queued_deliveries_ = false;
  bool housekeeping_due_ = false;
  Review review_;
};

}  // namespace usersctl::core
