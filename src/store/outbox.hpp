#pragma once
// The transactional outbox: events appended in the transaction of the change they record, the
// hooks that want them, and one delivery per (hook, event). The event dispatcher and the mutation
// runner need only this and Transactions, never the user and group records.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/outbox_types.hpp"

namespace usersctl::store {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Events.
  virtual std::int64_t last_event_sequence() = 0;
  virtual void insert_event(const model::StoredEvent& event) = 0;
  // Appends events whose sequences are already assigned, rising by one. The default loops over
  // insert_event(); a backend may write them faster, with the same result.
  virtual void insert_events(const std::vector<model::StoredEvent>& events);
  // Events with sequence > `after`, in order; `type` filters "user.*" patterns or exact types.
  virtual void list_events(std::int64_t after, const std::optional<std::string>& type,
                           std::optional<std::int64_t> limit,
                           const std::function<void(const model::StoredEvent&)>& sink) = 0;
  virtual std::optional<model::StoredEvent> find_event(std::int64_t sequence) = 0;
  // The events about one record (its surrogate id, so across renames) with a sequence in
  // [min_sequence, max_sequence], newest first.
  virtual void record_events(model::RecordKind kind, std::int64_t record_id, std::int64_t min_sequence,
                             std::int64_t max_sequence, std::optional<std::int64_t> limit,
                             const std::function<void(const model::StoredEvent&)>& sink) = 0;
  // The record of the newest event with this subject ("users/alice") up to max_sequence.
  virtual std::optional<std::int64_t> subject_record(model::RecordKind kind, std::string_view subject,
                                                     std::int64_t max_sequence) = 0;
  // The highest sequence whose time is at or before `time` (RFC 3339 UTC); 0 when none.
  virtual std::int64_t sequence_at(std::string_view time) = 0;
  virtual model::EventStats event_stats() = 0;
  // Drops the events below `before_sequence` except those a delivery still waits for (pending or
  // failed) and those about a record in the recycle bin; their deliveries go with them.
  virtual std::int64_t prune_events(std::int64_t before_sequence) = 0;

  // Hooks. Ids are never reused (AUTOINCREMENT, an identity column), so an id a script kept
  // can never reach a hook added after its own was removed.
  virtual std::int64_t insert_hook(const model::Hook& hook) = 0;
  virtual std::optional<model::Hook> find_hook(std::int64_t id) = 0;
  virtual std::optional<model::Hook> find_hook_named(std::string_view name) = 0;
  virtual void list_hooks(const std::function<void(const model::Hook&)>& sink) = 0;
  virtual void delete_hook(std::int64_t id) = 0;
  virtual void set_hook_disabled(std::int64_t id, bool disabled) = 0;
  // hook rotate-secret: the new secret, and the old one that also signs until old_until_ms.
  virtual void set_hook_secret(std::int64_t id, std::string_view secret,
                               const std::optional<std::string>& old_secret, std::int64_t old_until_ms) = 0;
  // Takes the hook's delivery lease until `until_ms` for `owner` (a token unique to the taker)
  // so one process at a time sends its events in order; false while another process holds an
  // unexpired lease.
  virtual bool claim_hook(std::int64_t id, std::string_view owner, std::int64_t now_ms,
                          std::int64_t until_ms) = 0;
  // Extends the lease `owner` holds; false when it is no longer theirs (it expired and was taken).
  virtual bool renew_hook(std::int64_t id, std::string_view owner, std::int64_t until_ms) = 0;
  // Frees the lease only if `owner` still holds it: never one another process took over.
  virtual void release_hook(std::int64_t id, std::string_view owner) = 0;
  // Until when the hook's lease runs (unix ms; 0 or past: free).
  virtual std::int64_t hook_lease_until(std::int64_t id) = 0;

  // Deliveries: one per (hook, event), queued with the event.
  virtual void queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) = 0;
  // The hook's pending deliveries in sequence order, bodies included (limit -1: all).
  virtual std::vector<model::Delivery> pending_deliveries(std::int64_t hook_id, std::int64_t limit) = 0;
  virtual void mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) = 0;
  virtual void mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts,
                          std::int64_t next_attempt_ms, std::string_view error) = 0;
  virtual void mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                           std::string_view error) = 0;
  // Back to pending, due now: these sequences (for every hook that had them), or every failed one.
  virtual std::int64_t requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms) = 0;
  virtual std::int64_t requeue_failed(std::int64_t now_ms) = 0;
  virtual std::vector<model::HookDeliveryCounts> delivery_counts() = 0;
};

}  // namespace usersctl::store
