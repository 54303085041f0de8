#pragma once
// One declaration of the outbox (store::Outbox: events, hooks, deliveries) for every backend, as
// backend_store.hpp is for the records: a backend names it with its Connection type
// (sqlite::SqliteOutbox, postgres::PgOutbox) and defines each member in its *_outbox.cpp
// (`template <>`). To add a method: declare it in outbox.hpp and here, define it in both backends.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/outbox.hpp"

namespace usersctl::store {

template <class Connection>
class BackendOutbox final : public Outbox {
 public:
  explicit BackendOutbox(Connection& db) : db_(db) {}

  std::int64_t last_event_sequence() override;
  void insert_event(const model::StoredEvent& event) override;
  // PostgreSQL appends many events in one statement per batch; SQLite keeps the default loop.
  void insert_events(const std::vector<model::StoredEvent>& events) override;
  void list_events(std::int64_t after, const std::optional<std::string>& type,
                   std::optional<std::int64_t> limit,
                   const std::function<void(const model::StoredEvent&)>& sink) override;
  std::optional<model::StoredEvent> find_event(std::int64_t sequence) override;
  void record_events(model::RecordKind kind, std::int64_t record_id, std::int64_t min_sequence,
                     std::int64_t max_sequence, std::optional<std::int64_t> limit,
                     const std::function<void(const model::StoredEvent&)>& sink) override;
  std::optional<std::int64_t> subject_record(model::RecordKind kind, std::string_view subject,
                                             std::int64_t max_sequence) override;
  std::int64_t sequence_at(std::string_view time) override;
  model::EventStats event_stats() override;
  std::int64_t prune_events(std::int64_t before_sequence) override;

  std::int64_t insert_hook(const model::Hook& hook) override;
  std::optional<model::Hook> find_hook(std::int64_t id) override;
  std::optional<model::Hook> find_hook_named(std::string_view name) override;
  void list_hooks(const std::function<void(const model::Hook&)>& sink) override;
  void delete_hook(std::int64_t id) override;
  void set_hook_disabled(std::int64_t id, bool disabled) override;
  void set_hook_secret(std::int64_t id, std::string_view secret, const std::optional<std::string>& old_secret,
                       std::int64_t old_until_ms) override;
  bool claim_hook(std::int64_t id, std::string_view owner, std::int64_t now_ms,
                  std::int64_t until_ms) override;
  bool renew_hook(std::int64_t id, std::string_view owner, std::int64_t until_ms) override;
  void release_hook(std::int64_t id, std::string_view owner) override;
  std::int64_t hook_lease_until(std::int64_t id) override;

  void queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) override;
  std::vector<model::Delivery> pending_deliveries(std::int64_t hook_id, std::int64_t limit) override;
  void mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) override;
  void mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts, std::int64_t next_attempt_ms,
                  std::string_view error) override;
  void mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                   std::string_view error) override;
  std::int64_t requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms) override;
  std::int64_t requeue_failed(std::int64_t now_ms) override;
  std::vector<model::HookDeliveryCounts> delivery_counts() override;

 private:
  Connection& db_;  // shared with the backend's Store; outlives this
};

}  // namespace usersctl::store
