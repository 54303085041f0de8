// store::Consumers on PostgreSQL: the shared statements of consumer_sql.hpp.

#include <string_view>
#include <thread>

#include "store/backend_consumers.hpp"
#include "store/consumer_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store {

using namespace postgres;
namespace sql = consumer_sql;
using PgConsumers = BackendConsumers<Connection>;

namespace {

model::ConsumerState read_consumer(const Result& r, int i) {
  return {r.text(i, 0),  r.int64(i, 1),         static_cast<int>(r.int64(i, 2)),
          r.int64(i, 3), r.optional_text(i, 4), r.int64(i, 5),
          r.text(i, 6),  r.int64(i, 7),         r.int64(i, 8)};
}

}  // namespace

template <>
void PgConsumers::ensure_consumer(std::string_view name, std::string_view created_at) {
  db_.exec(sql::kEnsure, Params().add_all(name, created_at));
}

template <>
std::optional<model::ConsumerState> PgConsumers::find_consumer(std::string_view name) {
  return first_row(db_.exec(sql::kFind, Params().add(name)), read_consumer);
}

template <>
std::vector<model::ConsumerState> PgConsumers::list_consumers() {
  const Result r = db_.exec(sql::kList);
  std::vector<model::ConsumerState> consumers;
  for (int i = 0; i < r.rows(); ++i) consumers.push_back(read_consumer(r, i));
  return consumers;
}

template <>
bool PgConsumers::delete_consumer(std::string_view name) {
  db_.exec(sql::kDeleteLetters, Params().add(name));
  return db_.exec(sql::kDelete, Params().add(name)).affected() > 0;
}

template <>
bool PgConsumers::claim_consumer(std::string_view name, std::string_view owner, std::int64_t now_ms,
                                 std::int64_t lease_ms) {
  return db_.exec(sql::kClaim, Params().add_all(owner, now_ms + lease_ms, name, now_ms)).affected() > 0;
}

template <>
void PgConsumers::release_consumer(std::string_view name, std::string_view owner) {
  db_.exec(sql::kRelease, Params().add_all(name, owner));
}

template <>
bool PgConsumers::advance_consumer(std::string_view name, std::string_view owner, std::int64_t cursor) {
  return db_.exec(sql::kAdvance, Params().add_all(cursor, name, owner)).affected() > 0;
}

template <>
void PgConsumers::record_consumer_failure(std::string_view name, int attempts, std::int64_t next_attempt_ms,
                                          std::string_view error) {
  db_.exec(sql::kFailure, Params().add_all(std::int64_t{attempts}, next_attempt_ms, error, name));
}

template <>
void PgConsumers::insert_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences,
                                      int attempts, std::string_view error, std::string_view dead_at) {
  for (const auto sequence : sequences) {
    db_.exec(sql::kInsertLetter, Params().add_all(name, sequence, std::int64_t{attempts}, error, dead_at));
  }
}

template <>
std::vector<model::DeadLetter> PgConsumers::dead_letters(std::string_view name) {
  const Result r = db_.exec(sql::kLetters, Params().add(name));
  std::vector<model::DeadLetter> letters;
  for (int i = 0; i < r.rows(); ++i) {
    letters.push_back({r.int64(i, 0), r.text(i, 1), static_cast<int>(r.int64(i, 2)), r.optional_text(i, 3),
                       r.text(i, 4), r.int64(i, 5) != 0});
  }
  return letters;
}

template <>
std::vector<model::StoredEvent> PgConsumers::requeued_events(std::string_view name, std::int64_t limit) {
  const Result r = db_.exec(sql::kRequeuedEvents, Params().add_all(name, limit));
  std::vector<model::StoredEvent> events;
  for (int i = 0; i < r.rows(); ++i)
    events.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return events;
}

template <>
void PgConsumers::drop_dead_letters(std::string_view name, const std::vector<std::int64_t>& sequences) {
  for (const auto sequence : sequences) db_.exec(sql::kDropLetter, Params().add_all(name, sequence));
}

template <>
void PgConsumers::mark_dead_again(std::string_view name, const std::vector<std::int64_t>& sequences,
                                  std::string_view error) {
  for (const auto sequence : sequences) db_.exec(sql::kDeadAgain, Params().add_all(error, name, sequence));
}

template <>
std::int64_t PgConsumers::requeue_dead_letters(std::string_view name) {
  return db_.exec(sql::kRequeue, Params().add(name)).affected();
}

// Every commit that appends events NOTIFYs usersctl_events (pg_database.cpp); a
// LISTEN on this session wakes the wait within a round trip. The caller polls after `timeout`
// whatever happens, which is the fallback wherever a notification cannot reach this session:
// behind a pooler in transaction mode (the LISTEN stays on whichever server connection ran it, so
// no setting is needed to say a pooler is there) and on a standby (which refuses LISTEN: 25006).
// A new session (a reconnect after a failover) LISTENs again.
template <>
void PgConsumers::wait_for_events(std::chrono::milliseconds timeout) {
  if (listened_in_ != db_.session()) {
    listened_in_ = db_.session();
    try {
      listening_ = db_.exec_unless("LISTEN usersctl_events", "25006").has_value();
    } catch (const LostConnection&) {
      listening_ = false;
      return;  // the caller's next read reconnects (a new session, which LISTENs again)
    }
    // An event may have committed between the caller's last read and the LISTEN: read again now.
    if (listening_) return;
  }
  if (!listening_) {
    std::this_thread::sleep_for(timeout);
    return;
  }
  db_.wait_for_notification(timeout);
}

}  // namespace usersctl::store
