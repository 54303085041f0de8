#include "store/postgres/pg_outbox.hpp"

#include <algorithm>
#include <limits>

#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/shared_sql.hpp"

namespace usersctl::store {

using namespace postgres;

namespace {

model::StoredEvent read_event(const Result& r, int row) {
  return {r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4)};
}

model::Hook read_hook(const Result& r, int row) {
  model::Hook hook;
  hook.id = r.int64(row, 0);
  hook.kind = r.view(row, 1) == "exec" ? model::HookKind::Exec : model::HookKind::Url;
  hook.target = r.text(row, 2);
  hook.secret = r.optional_text(row, 3);
  hook.types = r.text(row, 4);
  hook.disabled = r.int64(row, 5) != 0;
  hook.created_at = r.text(row, 6);
  hook.created_by = r.text(row, 7);
  hook.name = r.optional_text(row, 8);
  hook.timeout_seconds = static_cast<int>(r.int64(row, 9));
  hook.exclude_actor = r.optional_text(row, 10);
  hook.old_secret = r.optional_text(row, 11);
  hook.old_secret_until_ms = r.int64(row, 12);
  return hook;
}

constexpr const char* kHookColumns =
    "SELECT id, kind, target, secret, types, disabled, created_at, created_by, name, timeout_seconds, "
    "exclude_actor, old_secret, old_secret_until FROM hooks";
constexpr const char* kEventColumns = "SELECT sequence, id, type, time, body FROM events";

}  // namespace

template <>
std::int64_t PgOutbox::last_event_sequence() {
  if (const auto known = db_.memo().last_sequence) return *known;
  return db_.exec("SELECT coalesce(max(sequence), 0) FROM events").int64(0, 0);
}

template <>
void PgOutbox::list_events(std::int64_t after, const std::optional<std::string>& type,
                           std::optional<std::int64_t> limit,
                           const std::function<void(const model::StoredEvent&)>& sink) {
  std::string sql = std::string(kEventColumns) + " WHERE sequence > $1::bigint";
  // A type ending in '.*' selects a family: "user.*" → type LIKE 'user.%'.
  if (type)
    sql += " AND (type = $3::text OR (right($3::text, 1) = '*' AND type LIKE replace($3::text, '*', '%')))";
  sql += " ORDER BY sequence LIMIT $2::bigint";
  // A page at a time after the last sequence seen (keyset), in the transaction's one snapshot:
  // memory stays flat as with a cursor, and a follower woken for a few new events reads them in
  // one round trip instead of a cursor's three (DECLARE, FETCH, CLOSE).
  constexpr std::int64_t kPage = 1000;
  std::int64_t left = limit.value_or(std::numeric_limits<std::int64_t>::max());
  std::int64_t last = after;
  while (left > 0) {
    const std::int64_t page = std::min(kPage, left);
    Params params;
    params.add(last).add(page);
    if (type) params.add(*type);
    const Result r = db_.exec(sql, params);
    for (int i = 0; i < r.rows(); ++i) {
      model::StoredEvent event = read_event(r, i);
      last = event.sequence;
      sink(event);
    }
    if (r.rows() < page) break;
    left -= r.rows();
  }
}

template <>
std::optional<model::StoredEvent> PgOutbox::find_event(std::int64_t sequence) {
  return first_row(db_.exec(std::string(kEventColumns) + " WHERE sequence = $1", Params().add(sequence)),
                   read_event);
}

template <>
std::int64_t PgOutbox::insert_hook(const model::Hook& hook) {
  // The id comes from the identity column, which never hands out an id twice.
  db_.memo().any_hooks = true;
  return db_
      .exec(
          "INSERT INTO hooks (kind, target, secret, types, disabled, created_at, created_by, name, "
          "timeout_seconds, exclude_actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
          Params().add_all(hook.kind == model::HookKind::Exec ? "exec" : "url", hook.target, hook.secret,
                           hook.types, std::int64_t{hook.disabled}, hook.created_at, hook.created_by,
                           hook.name, std::int64_t{hook.timeout_seconds}, hook.exclude_actor))
      .int64(0, 0);
}

template <>
std::optional<model::Hook> PgOutbox::find_hook(std::int64_t id) {
  return first_row(db_.exec(std::string(kHookColumns) + " WHERE id = $1", Params().add(id)), read_hook);
}

template <>
std::optional<model::Hook> PgOutbox::find_hook_named(std::string_view name) {
  return first_row(db_.exec(std::string(kHookColumns) + " WHERE name = $1", Params().add(name)), read_hook);
}

template <>
void PgOutbox::list_hooks(const std::function<void(const model::Hook&)>& sink) {
  // A write transaction's first statement tells whether there is any (pg_database.cpp).
  if (const auto any = db_.memo().any_hooks; any && !*any) return;
  const Result r = db_.exec(std::string(kHookColumns) + " ORDER BY id");
  for (int i = 0; i < r.rows(); ++i) sink(read_hook(r, i));
}

template <>
void PgOutbox::delete_hook(std::int64_t id) {
  db_.exec("DELETE FROM hooks WHERE id = $1", Params().add(id));
}

template <>
void PgOutbox::set_hook_secret(std::int64_t id, std::string_view secret,
                               const std::optional<std::string>& old_secret, std::int64_t old_until_ms) {
  db_.exec("UPDATE hooks SET secret = $1, old_secret = $2, old_secret_until = $3 WHERE id = $4",
           Params().add(secret).add(old_secret).add(old_until_ms).add(id));
}

template <>
void PgOutbox::set_hook_disabled(std::int64_t id, bool disabled) {
  db_.exec("UPDATE hooks SET disabled = $1 WHERE id = $2", Params().add(std::int64_t{disabled}).add(id));
}

template <>
bool PgOutbox::claim_hook(std::int64_t id, std::string_view owner, std::int64_t now_ms,
                          std::int64_t until_ms) {
  return db_.exec("UPDATE hooks SET lease_until = $1, lease_owner = $2 WHERE id = $3 AND lease_until <= $4",
                  Params().add(until_ms).add(owner).add(id).add(now_ms))
             .affected() > 0;
}

template <>
bool PgOutbox::renew_hook(std::int64_t id, std::string_view owner, std::int64_t until_ms) {
  return db_.exec("UPDATE hooks SET lease_until = $1 WHERE id = $2 AND lease_owner = $3",
                  Params().add(until_ms).add(id).add(owner))
             .affected() > 0;
}

template <>
void PgOutbox::release_hook(std::int64_t id, std::string_view owner) {
  db_.exec("UPDATE hooks SET lease_until = 0, lease_owner = NULL WHERE id = $1 AND lease_owner = $2",
           Params().add(id).add(owner));
}

template <>
std::int64_t PgOutbox::hook_lease_until(std::int64_t id) {
  const Result r = db_.exec("SELECT lease_until FROM hooks WHERE id = $1", Params().add(id));
  return r.rows() > 0 ? r.int64(0, 0) : 0;
}

template <>
void PgOutbox::queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) {
  db_.exec("INSERT INTO deliveries (hook_id, sequence, next_attempt_ms) VALUES ($1, $2, $3)",
           Params().add(hook_id).add(sequence).add(due_ms));
}

template <>
std::vector<model::Delivery> PgOutbox::pending_deliveries(std::int64_t hook_id, std::int64_t limit) {
  const Result r = db_.exec(
      "SELECT d.hook_id, d.sequence, d.attempts, d.next_attempt_ms, e.id, e.body FROM deliveries d "
      "JOIN events e ON e.sequence = d.sequence WHERE d.state = 'pending' AND d.hook_id = $1 "
      "ORDER BY d.sequence LIMIT $2",
      Params().add(hook_id).add_limit(limit));
  std::vector<model::Delivery> deliveries;
  for (int i = 0; i < r.rows(); ++i) {
    deliveries.push_back({r.int64(i, 0), r.int64(i, 1), static_cast<int>(r.int64(i, 2)), r.int64(i, 3),
                          r.text(i, 4), r.text(i, 5)});
  }
  return deliveries;
}

template <>
void PgOutbox::mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) {
  db_.exec(
      "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $1, last_error = "
      "NULL "
      "WHERE hook_id = $2 AND sequence = $3",
      Params().add(time).add(hook_id).add(sequence));
}

template <>
void PgOutbox::mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts,
                          std::int64_t next_attempt_ms, std::string_view error) {
  db_.exec(
      "UPDATE deliveries SET attempts = $1, next_attempt_ms = $2, last_error = $3 WHERE hook_id = $4 AND "
      "sequence = $5",
      Params().add_all(std::int64_t{attempts}, next_attempt_ms, error, hook_id, sequence));
}

template <>
void PgOutbox::mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                           std::string_view error) {
  db_.exec(
      "UPDATE deliveries SET state = 'failed', attempts = $1, last_error = $2 WHERE hook_id = $3 AND "
      "sequence = $4",
      Params().add_all(std::int64_t{attempts}, error, hook_id, sequence));
}

template <>
std::int64_t PgOutbox::requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms) {
  std::int64_t count = 0;
  for (const auto sequence : sequences) {
    count += db_.exec(
                    "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_ms = $1, last_error "
                    "= NULL "
                    "WHERE sequence = $2 AND hook_id IN (SELECT id FROM hooks WHERE disabled = 0)",
                    Params().add(now_ms).add(sequence))
                 .affected();
  }
  return count;
}

template <>
std::int64_t PgOutbox::requeue_failed(std::int64_t now_ms) {
  return db_
      .exec(
          "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_ms = $1, last_error = NULL "
          "WHERE state = 'failed' AND hook_id IN (SELECT id FROM hooks WHERE disabled = 0)",
          Params().add(now_ms))
      .affected();
}

template <>
std::vector<model::HookDeliveryCounts> PgOutbox::delivery_counts() {
  const Result r = db_.exec(shared_sql::kDeliveryCounts);
  std::vector<model::HookDeliveryCounts> counts;
  for (int i = 0; i < r.rows(); ++i) {
    counts.push_back({r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), r.int64(i, 3), r.optional_text(i, 4),
                      r.optional_text(i, 5), r.int64(i, 6) != 0, std::nullopt});
    if (!r.is_null(i, 7)) counts.back().next_attempt_ms = r.int64(i, 7);
  }
  return counts;
}

}  // namespace usersctl::store
