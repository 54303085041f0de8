#pragma once
// One declaration of store::Consumers for every backend (see backend_outbox.hpp): each backend
// defines the members for its own Connection (sqlite_consumers.cpp, pg_consumers.cpp).

#include "store/consumers.hpp"

namespace usersctl::store {

template <class Connection>
class BackendConsumers final : public Consumers {
 public:
  explicit BackendConsumers(Connection& db) : db_(db) {}

  void ensure_consumer(std::string_view name, std::string_view created_at) override;
  std::optional<model::ConsumerState> find_consumer(std::string_view name) override;
  std::vector<model::ConsumerState> list_consumers() override;
  bool delete_consumer(std::string_view name) override;
  bool claim_consumer(std::string_view name, std::string_view owner, std::int64_t now_ms,
                      std::int64_t lease_ms) override;
  void release_consumer(std::string_view name, std::string_view owner) override;
  bool advance_consumer(std::string_view name, std::string_view owner, std::int64_t cursor) override;
  void record_consumer_failure(std::string_view name, int attempts, std::int64_t next_attempt_ms,
                               std::string_view error) override;
  void insert_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences, int attempts,
                           std::string_view error, std::string_view dead_at) override;
  std::vector<model::DeadLetter> dead_letters(std::string_view name) override;
  std::vector<model::StoredEvent> requeued_events(std::string_view name, std::int64_t limit) override;
  void drop_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences) override;
  void mark_dead_again(std::string_view name, const std::vector<std::int64_t>& sequences,
                       std::string_view error) override;
  std::int64_t requeue_dead_letters(std::string_view name) override;
  void wait_for_events(std::chrono::milliseconds timeout) override;

 private:
  Connection& db_;
  // PostgreSQL: the session the last LISTEN was tried in (Connection::session()), and whether
  // the server took it.
  int listened_in_ = 0;
  bool listening_ = false;
};

}  // namespace usersctl::store
