#pragma once
// The change feed, hooks and their deliveries.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/database_info.hpp"
#include "model/delivery.hpp"
#include "model/outbox_types.hpp"
#include "store/database.hpp"

namespace usersctl::core {

struct NewHook {
  model::HookKind kind = model::HookKind::Url;
  std::string target;
  std::optional<std::string> secret;
  std::string types = "*";
};

struct DeliveryTotals {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
};

// What `health` reports: where the data lives and how much of it there is.
struct HealthReport {
  model::DatabaseInfo database;
  std::int64_t users = 0;
  std::int64_t groups = 0;
  std::int64_t last_event = 0;
  DeliveryTotals deliveries;
};

class EventService {
 public:
  EventService(store::Database& db, std::string actor) : db_(db), actor_(std::move(actor)) {}

  void list(std::int64_t after, const std::optional<std::string>& type, std::optional<std::int64_t> limit,
            const std::function<void(const model::StoredEvent&)>& sink);
  // Returns the last sequence seen (the cursor to poll from).
  std::int64_t tail(std::int64_t after, const std::function<void(const model::StoredEvent&)>& sink);

  std::int64_t add_hook(const NewHook& hook);
  void list_hooks(const std::function<void(const model::Hook&)>& sink);
  void remove_hook(std::int64_t id);
  // Sends a synthetic test event straight to the hook (nothing is stored).
  model::DeliveryResult test_hook(std::int64_t id);

  model::DispatchSummary deliver(const model::DispatchOptions& options);
  // Requeues these events for every hook that had them; NotFound for an unknown sequence.
  std::int64_t redeliver(const std::vector<std::int64_t>& sequences);
  std::int64_t redeliver_failed();
  std::vector<model::HookDeliveryCounts> status();
  DeliveryTotals totals();
  HealthReport health();

 private:
  model::Hook require_hook(std::int64_t id);

  store::Database& db_;
  std::string actor_;
};

}  // namespace usersctl::core
