// The SQLite event log beyond listing: appending (with the records each event is about), a
// record's history, the time-to-sequence lookup and retention (statements shared with PostgreSQL:
// store/event_log_sql.hpp).

#include "store/event_log_sql.hpp"
#include "store/sqlite/sqlite_outbox.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace usersctl::store {

using namespace sqlite;

namespace {

void bind_record_id(Statement& stmt, int index, std::int64_t id) {
  if (id == 0) {
    stmt.bind_null(index);
  } else {
    stmt.bind(index, id);
  }
}

constexpr int kEventColumns = 8;  // those of event_log_sql::kInsertEvent, in its order

// The event's columns from `first + 1` on; `event` outlives the statement's run.
void bind_event(Statement& stmt, int first, const model::StoredEvent& event) {
  stmt.bind(first + 1, event.sequence).bind_unowned(first + 2, event.id).bind_unowned(first + 3, event.type);
  stmt.bind_unowned(first + 4, event.time).bind_unowned(first + 5, event.body);
  bind_record_id(stmt, first + 6, event.user_id);
  bind_record_id(stmt, first + 7, event.group_id);
  stmt.bind_unowned(first + 8, event.subject);
}

constexpr std::size_t kEventsPerInsert = 64;

std::string events_insert_sql(std::size_t count) {
  std::string sql = "INSERT INTO events (sequence, id, type, time, body, user_id, group_id, subject) VALUES ";
  for (std::size_t i = 0; i < count; ++i) sql += i == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
  return sql;
}

}  // namespace

template <>
void SqliteOutbox::insert_event(const model::StoredEvent& event) {
  auto& stmt = db_.cached(event_log_sql::kInsertEvent);
  bind_event(stmt, 0, event);
  stmt.run();
}

// Many rows to a statement, as a bulk load writes one event a record: a statement's fixed cost
// is paid once per 64 events. Every column goes, as in insert_event: history and `show --as-of`
// find a record's events by user_id, group_id and subject.
template <>
void SqliteOutbox::insert_events(const std::vector<model::StoredEvent>& events) {
  static const std::string full = events_insert_sql(kEventsPerInsert);
  std::size_t first = 0;
  for (; first + kEventsPerInsert <= events.size(); first += kEventsPerInsert) {
    auto& stmt = db_.cached(full.c_str());
    for (std::size_t i = 0; i < kEventsPerInsert; ++i) {
      bind_event(stmt, static_cast<int>(i) * kEventColumns, events[first + i]);
    }
    stmt.run();
  }
  for (; first < events.size(); ++first) insert_event(events[first]);
}

template <>
void SqliteOutbox::record_events(model::RecordKind kind, std::int64_t record_id, std::int64_t min_sequence,
                                 std::int64_t max_sequence, std::optional<std::int64_t> limit,
                                 const std::function<void(const model::StoredEvent&)>& sink) {
  auto stmt =
      db_.prepare(kind == model::RecordKind::User ? event_log_sql::kUserEvents : event_log_sql::kGroupEvents);
  stmt.bind(1, record_id).bind(2, min_sequence).bind(3, max_sequence).bind(4, limit.value_or(-1));
  while (stmt.step()) sink({stmt.int64(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4)});
}

template <>
std::optional<std::int64_t> SqliteOutbox::subject_record(model::RecordKind kind, std::string_view subject,
                                                         std::int64_t max_sequence) {
  auto stmt = db_.prepare(kind == model::RecordKind::User ? event_log_sql::kSubjectUser
                                                          : event_log_sql::kSubjectGroup);
  return first_row(stmt.bind(1, subject).bind(2, max_sequence), int64_column);
}

template <>
std::int64_t SqliteOutbox::sequence_at(std::string_view time) {
  auto stmt = db_.prepare(event_log_sql::kSequenceAt);
  stmt.bind(1, time);
  stmt.step();
  return stmt.int64(0);
}

template <>
model::EventStats SqliteOutbox::event_stats() {
  auto stmt = db_.prepare(event_log_sql::kEventStats);
  stmt.step();
  return {stmt.int64(0), stmt.int64(1), stmt.text(2)};
}

template <>
std::int64_t SqliteOutbox::prune_events(std::int64_t before_sequence) {
  db_.prepare(event_log_sql::kPruneDeliveries).bind(1, before_sequence).run();
  auto stmt = db_.prepare(event_log_sql::kPruneEvents);
  stmt.bind(1, before_sequence).run();
  return db_.changes();
}

}  // namespace usersctl::store
