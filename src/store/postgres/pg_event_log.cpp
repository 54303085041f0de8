// The PostgreSQL event log beyond listing: appending (with the records each event is about), a
// record's history, the time-to-sequence lookup and retention (statements shared with SQLite:
// store/event_log_sql.hpp).

#include <algorithm>

#include "store/event_log_sql.hpp"
#include "store/postgres/pg_arrays.hpp"
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
  db_.exec(event_log_sql::kInsertEvent, params);
}

// Many events in one statement per batch; a record id of 0 is stored as NULL (no record).
template <>
void PgOutbox::insert_events(const std::vector<model::StoredEvent>& events) {
  constexpr std::size_t kBatch = 2000;
  for (std::size_t start = 0; start < events.size(); start += kBatch) {
    const std::size_t end = std::min(events.size(), start + kBatch);
    ArrayLiteral sequences, ids, types, times, bodies, user_ids, group_ids, subjects;
    for (std::size_t i = start; i < end; ++i) {
      sequences.add(events[i].sequence);
      ids.add(events[i].id);
      types.add(events[i].type);
      times.add(events[i].time);
      bodies.add(events[i].body);
      user_ids.add(events[i].user_id);
      group_ids.add(events[i].group_id);
      subjects.add(events[i].subject);
    }
    db_.exec(
        "INSERT INTO events (sequence, id, type, time, body, user_id, group_id, subject) "
        "SELECT s, i, t, tm, b, nullif(u, 0), nullif(g, 0), sj FROM unnest($1::bigint[], $2::text[], "
        "$3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[]) AS x(s, i, t, tm, b, u, "
        "g, sj)",
        Params().add_all(sequences.str(), ids.str(), types.str(), times.str(), bodies.str(), user_ids.str(),
                         group_ids.str(), subjects.str()));
  }
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
  db_.exec(event_log_sql::kPruneDeliveries, Params().add(before_sequence));
  return db_.exec(std::string(event_log_sql::kPruneEvents) + " RETURNING 1", Params().add(before_sequence))
      .rows();
}

}  // namespace usersctl::store
