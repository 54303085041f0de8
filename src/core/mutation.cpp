#include "core/mutation.hpp"

#include "core/clock.hpp"
#include "core/event_envelope.hpp"
#include "core/hook_types.hpp"
#include "core/uuid.hpp"

namespace usersctl::core {

std::vector<store::StoredEvent> MutationRunner::write_events(const std::vector<Change>& changes,
                                                             bool& queued) {
  std::vector<store::StoredEvent> events;
  if (changes.empty()) return events;
  std::vector<store::Hook> hooks;
  store_.list_hooks([&](const store::Hook& hook) {
    if (!hook.disabled) hooks.push_back(hook);
  });
  std::int64_t sequence = store_.last_event_sequence();
  const std::string time = now_rfc3339();
  const std::int64_t now_ms = now_unix_ms();
  for (const auto& change : changes) {
    store::StoredEvent event;
    event.sequence = ++sequence;
    event.id = random_uuid();
    event.type = change_type_name(change.type);
    event.time = time;
    event.body = event_json(change, {event.sequence, event.id, time, actor_});
    store_.insert_event(event);
    for (const auto& hook : hooks) {
      if (!hook_wants(hook.types, event.type)) continue;
      store_.queue_delivery(hook.id, event.sequence, now_ms);
      queued = true;
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<Change> MutationRunner::run(const std::function<void(std::vector<Change>&)>& work) {
  std::vector<Change> changes;
  std::vector<store::StoredEvent> events;
  bool queued = false;
  store_.write([&] {
    changes.clear();  // a retried transaction starts afresh
    queued = false;
    work(changes);
    events = write_events(changes, queued);
  });
  committed_events_.insert(committed_events_.end(), events.begin(), events.end());
  queued_deliveries_ = queued_deliveries_ || queued;
  return changes;
}

}  // namespace usersctl::core
