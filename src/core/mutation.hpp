#pragma once
// Runs each mutation as one write transaction and writes its events, and a delivery per
// matching hook, in that same transaction (the transactional outbox): a change commits
// with its events or not at all.

#include <functional>
#include <string>
#include <vector>

#include "core/change.hpp"
#include "store/store.hpp"

namespace usersctl::core {

class MutationRunner {
 public:
  MutationRunner(store::Store& store, std::string actor) : store_(store), actor_(std::move(actor)) {}

  // Runs `work` in one write transaction. `work` appends what it changed; nothing is kept
  // when it throws. Returns the committed changes (empty for a no-op).
  std::vector<Change> run(const std::function<void(std::vector<Change>&)>& work);

  store::Store& store() { return store_; }
  const std::string& actor() const { return actor_; }
  // Every event this process committed, in order (for --events and delivery after commit).
  const std::vector<store::StoredEvent>& committed_events() const { return committed_events_; }
  // Whether any committed event was queued for a hook.
  bool queued_deliveries() const { return queued_deliveries_; }

 private:
  // Appends one event per change and queues it for each enabled hook that wants it.
  std::vector<store::StoredEvent> write_events(const std::vector<Change>& changes, bool& queued);

  store::Store& store_;
  std::string actor_;
  std::vector<store::StoredEvent> committed_events_;
  bool queued_deliveries_ = false;
};

}  // namespace usersctl::core
