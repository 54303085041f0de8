#include "core/mutation.hpp"

#include "core/event_envelope.hpp"
#include "core/hook_types.hpp"
#include "core/housekeeping.hpp"
#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace usersctl::core {

namespace {
constexpr std::size_t kEventBatch = 512;
}  // namespace

EventStream::EventStream(store::Outbox& outbox, const std::string& actor) : outbox_(outbox), actor_(actor) {}

// Reads the sequence and hooks at the first change only: a no-op writes and reads nothing more.
void EventStream::start() {
  first_sequence_ = next_sequence_ = outbox_.last_event_sequence() + 1;
  time_ = util::now_rfc3339();
  now_ms_ = util::now_unix_ms();
  outbox_.list_hooks([&](const model::Hook& hook) {
    if (!hook.disabled) hooks_.push_back(hook);
  });
  started_ = true;
}

void EventStream::add(const model::Change& change) {
  if (!started_) start();
  model::StoredEvent event;
  event.sequence = next_sequence_++;
  event.id = util::random_uuid();
  event.type = model::change_type_name(change.type);
  event.time = time_;
  event.body = event_json(change, {event.sequence, event.id, time_, actor_});
  event.subject = event_subject(change);
  if (change.user) event.user_id = change.user->id;
  if (change.group) event.group_id = change.group->id;
  pending_.push_back(std::move(event));
  if (pending_.size() >= kEventBatch) flush();
}

void EventStream::flush() {
  if (pending_.empty()) return;
  outbox_.insert_events(pending_);
  for (const auto& event : pending_) {
    for (const auto& hook : hooks_) {
      if (!hook_wants(hook.types, event.type) || hook.exclude_actor == actor_) continue;
      outbox_.queue_delivery(hook.id, event.sequence, now_ms_);
      queued_ = true;
    }
  }
  pending_.clear();
}

std::vector<model::Change> MutationRunner::run(const std::function<void(std::vector<model::Change>&)>& work) {
  std::vector<model::Change> changes;
  run_bulk([&](EventStream& stream) {
    changes.clear();  // a retried transaction starts afresh
    work(changes);
    if (review_) review_(changes);
    for (const auto& change : changes) stream.add(change);
  });
  return changes;
}

std::int64_t MutationRunner::run_bulk(const std::function<void(EventStream&)>& work) {
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool queued = false;
  bool housekeeping = false;
  transactions_.write([&] {
    EventStream stream(outbox_, actor_);  // a retried transaction starts afresh
    work(stream);
    stream.flush();
    first = stream.first_sequence();
    last = stream.last_sequence();
    queued = stream.queued_deliveries();
    housekeeping = last >= first && housekeeping_may_be_due(records_);
  });
  if (last >= first) committed_ranges_.emplace_back(first, last);
  queued_deliveries_ = queued_deliveries_ || queued;
  housekeeping_due_ = housekeeping_due_ || housekeeping;
  return last - first + 1;
}

void MutationRunner::committed_events(const std::function<void(const model::StoredEvent&)>& sink) {
  if (committed_ranges_.empty()) return;
  transactions_.read([&] {
    for (const auto& [first, last] : committed_ranges_) {
      outbox_.list_events(first - 1, std::nullopt, last - first + 1, sink);
    }
  });
}

}  // namespace usersctl::core
