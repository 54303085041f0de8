#pragma once
// The PostgreSQL side of the outbox: events, hooks, deliveries. PgStore forwards to it.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/outbox_types.hpp"
#include "store/postgres/pg_connection.hpp"

namespace usersctl::store::postgres {

class PgOutbox {
 public:
  explicit PgOutbox(Connection& db) : db_(db) {}

  std::int64_t last_event_sequence();
  void insert_event(const StoredEvent& event);
  // Appends many events in one statement per batch.
  void insert_events(const std::vector<StoredEvent>& events);
  void list_events(std::int64_t after, const std::optional<std::string>& type,
                   std::optional<std::int64_t> limit, const std::function<void(const StoredEvent&)>& sink);
  std::optional<StoredEvent> find_event(std::int64_t sequence);

  std::int64_t insert_hook(const Hook& hook);
  std::optional<Hook> find_hook(std::int64_t id);
  void list_hooks(const std::function<void(const Hook&)>& sink);
  void delete_hook(std::int64_t id);
  void set_hook_disabled(std::int64_t id, bool disabled);
  bool claim_hook(std::int64_t id, std::int64_t now_ms, std::int64_t lease_ms);
  void release_hook(std::int64_t id);

  void queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms);
  std::vector<Delivery> pending_deliveries(std::int64_t hook_id, std::int64_t limit);
  void mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time);
  void mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts, std::int64_t next_attempt_ms,
                  std::string_view error);
  void mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts, std::string_view error);
  std::int64_t requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms);
  std::int64_t requeue_failed(std::int64_t now_ms);
  std::vector<HookDeliveryCounts> delivery_counts();

 private:
  Connection& db_;
};

}  // namespace usersctl::store::postgres
