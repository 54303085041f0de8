// store::Consumers on SQLite: the shared statements of consumer_sql.hpp.

#include <thread>

#include "store/backend_consumers.hpp"
#include "store/consumer_sql.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace usersctl::store {

using namespace sqlite;
namespace sql = consumer_sql;
using SqliteConsumers = BackendConsumers<Connection>;

namespace {

model::ConsumerState read_consumer(const Statement& s) {
  return {s.text(0),  s.int64(1),         static_cast<int>(s.int64(2)),
          s.int64(3), s.optional_text(4), s.int64(5),
          s.text(6),  s.int64(7),         s.int64(8)};
}

}  // namespace

template <>
void SqliteConsumers::ensure_consumer(std::string_view name, std::string_view created_at) {
  db_.prepare(sql::kEnsure).bind_all(name, created_at).run();
}

template <>
std::optional<model::ConsumerState> SqliteConsumers::find_consumer(std::string_view name) {
  return first_row(db_.prepare(sql::kFind).bind(1, name), read_consumer);
}

template <>
std::vector<model::ConsumerState> SqliteConsumers::list_consumers() {
  std::vector<model::ConsumerState> consumers;
  auto stmt = db_.prepare(sql::kList);
  while (stmt.step()) consumers.push_back(read_consumer(stmt));
  return consumers;
}

template <>
bool SqliteConsumers::delete_consumer(std::string_view name) {
  db_.prepare(sql::kDeleteLetters).bind(1, name).run();
  db_.prepare(sql::kDelete).bind(1, name).run();
  return db_.changes() > 0;
}

template <>
bool SqliteConsumers::claim_consumer(std::string_view name, std::string_view owner, std::int64_t now_ms,
                                     std::int64_t lease_ms) {
  db_.prepare(sql::kClaim).bind_all(owner, now_ms + lease_ms, name, now_ms).run();
  return db_.changes() > 0;
}

template <>
void SqliteConsumers::release_consumer(std::string_view name, std::string_view owner) {
  db_.prepare(sql::kRelease).bind_all(name, owner).run();
}

template <>
bool SqliteConsumers::advance_consumer(std::string_view name, std::string_view owner, std::int64_t cursor) {
  db_.prepare(sql::kAdvance).bind_all(cursor, name, owner).run();
  return db_.changes() > 0;
}

template <>
void SqliteConsumers::record_consumer_failure(std::string_view name, int attempts,
                                              std::int64_t next_attempt_ms, std::string_view error) {
  db_.prepare(sql::kFailure).bind_all(std::int64_t{attempts}, next_attempt_ms, error, name).run();
}

template <>
void SqliteConsumers::insert_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences,
                                          int attempts, std::string_view error, std::string_view dead_at) {
  for (const auto sequence : sequences) {
    db_.prepare(sql::kInsertLetter).bind_all(name, sequence, std::int64_t{attempts}, error, dead_at).run();
  }
}

template <>
std::vector<model::DeadLetter> SqliteConsumers::dead_letters(std::string_view name) {
  std::vector<model::DeadLetter> letters;
  auto stmt = db_.prepare(sql::kLetters);
  stmt.bind(1, name);
  while (stmt.step()) {
    letters.push_back({stmt.int64(0), stmt.text(1), static_cast<int>(stmt.int64(2)), stmt.optional_text(3),
                       stmt.text(4), stmt.int64(5) != 0});
  }
  return letters;
}

template <>
std::vector<model::StoredEvent> SqliteConsumers::requeued_events(std::string_view name, std::int64_t limit) {
  std::vector<model::StoredEvent> events;
  auto stmt = db_.prepare(sql::kRequeuedEvents);
  stmt.bind_all(name, limit);
  while (stmt.step())
    events.push_back({stmt.int64(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4)});
  return events;
}

template <>
void SqliteConsumers::drop_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences) {
  for (const auto sequence : sequences) db_.prepare(sql::kDropLetter).bind_all(name, sequence).run();
}

template <>
void SqliteConsumers::mark_dead_again(std::string_view name, const std::vector<std::int64_t>& sequences,
                                      std::string_view error) {
  for (const auto sequence : sequences) db_.prepare(sql::kDeadAgain).bind_all(error, name, sequence).run();
}

template <>
std::int64_t SqliteConsumers::requeue_dead_letters(std::string_view name) {
  db_.prepare(sql::kRequeue).bind(1, name).run();
  return db_.changes();
}

// SQLite has no notifications: the caller polls after the wait.
template <>
void SqliteConsumers::wait_for_events(std::chrono::milliseconds timeout) {
  std::this_thread::sleep_for(timeout);
}

}  // namespace usersctl::store
