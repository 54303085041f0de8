// The PostgreSQL event log beyond listing: appending (with the records each event is about), a
// record's history, the time-to-sequence lookup and retention (statements shared with SQLite:
// store/event_log_sql.hpp).

#include "store/event_log_sql.hpp"
#include "store/postgres/pg_bulk_copy.hpp"
#include "store/postgres/pg_copy.hpp"
#include "store/postgres/pg_outbox.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store {

using namespace postgres;

namespace {

void add_record_id(Params& params, std::int64_t id) {
  if (id == 0) {
    params.add_null();
  } else {
    params.add(id);
  }
}

}  // namespace

template <>
void PgOutbox::insert_event(const model::StoredEvent& event) {
  Params params;
  params.add_all(event.sequence, event.id, event.type, event.time, event.body);
  add_record_id(params, event.user_id);
  add_record_id(params, event.group_id);
  params.add(event.subject);
  // Goes with the next statement, in a command's usual course the COMMIT (pg_database.cpp).
  db_.exec_later(event_log_sql::kInsertEvent, params);
  db_.memo().last_event = event.id;
  db_.memo().last_sequence.reset();
}

// Many events by one COPY (a few by INSERT, a round trip fewer); a record id of 0 is stored as
// NULL (no record). The bodies are the bytes core made, whichever way they go.
template <>
void PgOutbox::insert_events(const std::vector<model::StoredEvent>& events) {
  if (events.size() < copy_min_rows()) {
    for (const auto& event : events) insert_event(event);
    return;
  }
  CopyRows rows;
  for (const auto& event : events) {
    rows.add(event.sequence).add(event.id).add(event.type).add(event.time).add(event.body);
    rows.add_id_or_null(event.user_id).add_id_or_null(event.group_id).add(event.subject);
    rows.end_row();
  }
  db_.copy_in("COPY events (sequence, id, type, time, body, user_id, group_id, subject) FROM STDIN",
              rows.text());
  db_.memo().last_event = events.back().id;
  db_.memo().last_sequence.reset();
}

template <>
void PgOutbox::record_events(model::RecordKind kind, std::int64_t record_id, std::int64_t min_sequence,
                             std::int64_t max_sequence, std::optional<std::int64_t> limit,
                             const std::function<void(const model::StoredEvent&)>& sink) {
  const char* sql =
      kind == model::RecordKind::User ? event_log_sql::kUserEvents : event_log_sql::kGroupEvents;
  Params params;
  params.add_all(record_id, min_sequence, max_sequence).add_limit(limit);
  db_.for_each_row(sql, params, [&](const Result& r, int row) {
    sink({r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4)});
  });
}

template <>
std::optional<std::int64_t> PgOutbox::subject_record(model::RecordKind kind, std::string_view subject,
                                                     std::int64_t max_sequence) {
  const char* sql =
      kind == model::RecordKind::User ? event_log_sql::kSubjectUser : event_log_sql::kSubjectGroup;
  return first_row(db_.exec(sql, Params().add(subject).add(max_sequence)), int64_column);
}

template <>
std::int64_t PgOutbox::sequence_at(std::string_view time) {
  return db_.exec(event_log_sql::kSequenceAt, Params().add(time)).int64(0, 0);
}

template <>
model::EventStats PgOutbox::event_stats() {
  const Result r = db_.exec(event_log_sql::kEventStats);
  return {r.int64(0, 0), r.int64(0, 1), r.text(0, 2)};
}

template <>
std::int64_t PgOutbox::prune_events(std::int64_t before_sequence) {
  db_.memo().last_sequence.reset();
  db_.exec(event_log_sql::kPruneDeliveries, Params().add(before_sequence));
  return db_.exec(std::string(event_log_sql::kPruneEvents) + " RETURNING 1", Params().add(before_sequence))
      .rows();
}

}  // namespace usersctl::store
