#pragma once
// The change feed, hooks and their deliveries.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user_service.hpp"
#include "model/database_info.hpp"
#include "model/delivery.hpp"
#include "model/outbox_types.hpp"
#include "store/database.hpp"

namespace usersctl::core {

using NewHook = model::HookSpec;

// What a hook command came to: the hook as it is now, and whether the command changed anything
// (false: `hook add --if-not-exists` found one of that name, `hook enable` an enabled one...).
struct HookOutcome {
  model::Hook hook;
  bool changed = false;
};

// Over enabled hooks: what `events deliver` still owes. A disabled hook's leftovers are `held`.
struct DeliveryTotals {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
  std::int64_t held = 0;  // pending or failed deliveries of disabled hooks
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

  // Hooks are configuration, not records: adding, removing, disabling one emits no event.
  // Conflict when the name is taken, unless `if_exists` is Skip.
  HookOutcome add_hook(const NewHook& hook, IfExists if_exists);
  void list_hooks(const std::function<void(const model::Hook&)>& sink);
  // `ref` is a hook's id (digits) or its name; NotFound otherwise.
  model::Hook find_hook(std::string_view ref);
  // Removes the hook and its deliveries; returns what it was.
  model::Hook remove_hook(std::string_view ref);
  // Enables or disables the hook. A disabled hook gets no new
  // deliveries and sends none; its pending ones wait for it to be enabled again.
  HookOutcome set_hook_enabled(std::string_view ref, bool enabled);
  // hook rotate-secret: `secret` signs from now on; the current one signs too for `keep_old_ms`
  // (0: not at all). Invalid for a malformed secret or an exec hook.
  model::Hook rotate_hook_secret(std::string_view ref, const std::string& secret, std::int64_t keep_old_ms);
  // Sends a synthetic test event straight to the hook (nothing is stored).
  model::DeliveryResult test_hook(const model::Hook& hook);

  model::DispatchSummary deliver(const model::DispatchOptions& options);
  // Requeues these events for every hook that had them; NotFound for an unknown sequence.
  std::int64_t redeliver(const std::vector<std::int64_t>& sequences);
  std::int64_t redeliver_failed();
  std::vector<model::HookDeliveryCounts> status();
  DeliveryTotals totals();
  HealthReport health();

 private:
  std::optional<model::Hook> lookup_hook(std::string_view ref);

  store::Database& db_;
  std::string actor_;
};

}  // namespace usersctl::core
