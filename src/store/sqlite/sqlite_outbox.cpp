#include "store/sqlite/sqlite_outbox.hpp"

#include "store/shared_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace usersctl::store {

using namespace sqlite;

namespace {

model::StoredEvent read_event(const Statement& stmt) {
  return {stmt.int64(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4)};
}

model::Hook read_hook(const Statement& stmt) {
  model::Hook hook;
  hook.id = stmt.int64(0);
  hook.kind = stmt.text(1) == "exec" ? model::HookKind::Exec : model::HookKind::Url;
  hook.target = stmt.text(2);
  hook.secret = stmt.optional_text(3);
  hook.types = stmt.text(4);
  hook.disabled = stmt.int64(5) != 0;
  hook.created_at = stmt.text(6);
  hook.created_by = stmt.text(7);
  hook.name = stmt.optional_text(8);
  hook.timeout_seconds = static_cast<int>(stmt.int64(9));
  hook.exclude_actor = stmt.optional_text(10);
  hook.old_secret = stmt.optional_text(11);
  hook.old_secret_until_ms = stmt.int64(12);
  return hook;
}

constexpr const char* kHookColumns =
    "SELECT id, kind, target, secret, types, disabled, created_at, created_by, name, timeout_seconds, "
    "exclude_actor, old_secret, old_secret_until FROM hooks";

}  // namespace

template <>
std::int64_t SqliteOutbox::last_event_sequence() {
  auto stmt = db_.prepare("SELECT coalesce(max(sequence), 0) FROM events");
  stmt.step();
  return stmt.int64(0);
}

template <>
void SqliteOutbox::list_events(std::int64_t after, const std::optional<std::string>& type,
                               std::optional<std::int64_t> limit,
                               const std::function<void(const model::StoredEvent&)>& sink) {
  std::string sql = "SELECT sequence, id, type, time, body FROM events WHERE sequence > ?1";
  // A type ending in '.' or '.*' selects a family: "user.*" → type LIKE 'user.%'.
  if (type) sql += " AND (type = ?2 OR (substr(?2, -1) = '*' AND type LIKE replace(?2, '*', '%')))";
  sql += " ORDER BY sequence LIMIT ?3";
  auto stmt = db_.prepare(sql);
  stmt.bind(1, after).bind(3, limit.value_or(-1));
  if (type) stmt.bind(2, *type);
  while (stmt.step()) sink(read_event(stmt));
}

template <>
std::optional<model::StoredEvent> SqliteOutbox::find_event(std::int64_t sequence) {
  return first_row(
      db_.prepare("SELECT sequence, id, type, time, body FROM events WHERE sequence = ?1").bind(1, sequence),
      read_event);
}

template <>
std::int64_t SqliteOutbox::insert_hook(const model::Hook& hook) {
  auto stmt = db_.prepare(
      "INSERT INTO hooks (kind, target, secret, types, disabled, created_at, created_by, name, "
      "timeout_seconds, exclude_actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  stmt.bind(1, hook.kind == model::HookKind::Exec ? "exec" : "url").bind(2, hook.target).bind(3, hook.secret);
  stmt.bind(4, hook.types)
      .bind(5, std::int64_t{hook.disabled})
      .bind(6, hook.created_at)
      .bind(7, hook.created_by)
      .bind(8, hook.name)
      .bind(9, std::int64_t{hook.timeout_seconds})
      .bind(10, hook.exclude_actor);
  stmt.run();
  return db_.last_insert_id();
}

template <>
std::optional<model::Hook> SqliteOutbox::find_hook(std::int64_t id) {
  return first_row(db_.prepare(std::string(kHookColumns) + " WHERE id = ?1").bind(1, id), read_hook);
}

template <>
std::optional<model::Hook> SqliteOutbox::find_hook_named(std::string_view name) {
  return first_row(db_.prepare(std::string(kHookColumns) + " WHERE name = ?1").bind(1, name), read_hook);
}

template <>
void SqliteOutbox::list_hooks(const std::function<void(const model::Hook&)>& sink) {
  auto stmt = db_.prepare(std::string(kHookColumns) + " ORDER BY id");
  while (stmt.step()) sink(read_hook(stmt));
}

template <>
void SqliteOutbox::delete_hook(std::int64_t id) {
  auto stmt = db_.prepare("DELETE FROM hooks WHERE id = ?1");
  stmt.bind(1, id).run();
}

template <>
void SqliteOutbox::set_hook_secret(std::int64_t id, std::string_view secret,
                                   const std::optional<std::string>& old_secret, std::int64_t old_until_ms) {
  db_.prepare("UPDATE hooks SET secret = ?1, old_secret = ?2, old_secret_until = ?3 WHERE id = ?4")
      .bind(1, secret)
      .bind(2, old_secret)
      .bind(3, old_until_ms)
      .bind(4, id)
      .run();
}

template <>
void SqliteOutbox::set_hook_disabled(std::int64_t id, bool disabled) {
  auto stmt = db_.prepare("UPDATE hooks SET disabled = ?1 WHERE id = ?2");
  stmt.bind(1, std::int64_t{disabled}).bind(2, id).run();
}

template <>
bool SqliteOutbox::claim_hook(std::int64_t id, std::string_view owner, std::int64_t now_ms,
                              std::int64_t until_ms) {
  auto stmt =
      db_.prepare("UPDATE hooks SET lease_until = ?1, lease_owner = ?2 WHERE id = ?3 AND lease_until <= ?4");
  stmt.bind(1, until_ms).bind(2, owner).bind(3, id).bind(4, now_ms).run();
  return db_.changes() > 0;
}

template <>
bool SqliteOutbox::renew_hook(std::int64_t id, std::string_view owner, std::int64_t until_ms) {
  auto stmt = db_.prepare("UPDATE hooks SET lease_until = ?1 WHERE id = ?2 AND lease_owner = ?3");
  stmt.bind(1, until_ms).bind(2, id).bind(3, owner).run();
  return db_.changes() > 0;
}

template <>
void SqliteOutbox::release_hook(std::int64_t id, std::string_view owner) {
  auto stmt =
      db_.prepare("UPDATE hooks SET lease_until = 0, lease_owner = NULL WHERE id = ?1 AND lease_owner = ?2");
  stmt.bind(1, id).bind(2, owner).run();
}

template <>
std::int64_t SqliteOutbox::hook_lease_until(std::int64_t id) {
  auto stmt = db_.prepare("SELECT lease_until FROM hooks WHERE id = ?1");
  stmt.bind(1, id);
  return stmt.step() ? stmt.int64(0) : 0;
}

template <>
void SqliteOutbox::queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) {
  auto& stmt = db_.cached("INSERT INTO deliveries (hook_id, sequence, next_attempt_ms) VALUES (?1, ?2, ?3)");
  stmt.bind(1, hook_id).bind(2, sequence).bind(3, due_ms).run();
}

template <>
std::vector<model::Delivery> SqliteOutbox::pending_deliveries(std::int64_t hook_id, std::int64_t limit) {
  auto stmt = db_.prepare(
      "SELECT d.hook_id, d.sequence, d.attempts, d.next_attempt_ms, e.id, e.body FROM deliveries d "
      "JOIN events e ON e.sequence = d.sequence WHERE d.state = 'pending' AND d.hook_id = ?1 "
      "ORDER BY d.sequence LIMIT ?2");
  stmt.bind(1, hook_id).bind(2, limit);
  std::vector<model::Delivery> deliveries;
  while (stmt.step()) {
    deliveries.push_back({stmt.int64(0), stmt.int64(1), static_cast<int>(stmt.int64(2)), stmt.int64(3),
                          stmt.text(4), stmt.text(5)});
  }
  return deliveries;
}

template <>
void SqliteOutbox::mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) {
  auto stmt = db_.prepare(
      "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?1, last_error = "
      "NULL "
      "WHERE hook_id = ?2 AND sequence = ?3");
  stmt.bind(1, time).bind(2, hook_id).bind(3, sequence).run();
}

template <>
void SqliteOutbox::mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts,
                              std::int64_t next_attempt_ms, std::string_view error) {
  auto stmt = db_.prepare(
      "UPDATE deliveries SET attempts = ?1, next_attempt_ms = ?2, last_error = ?3 WHERE hook_id = ?4 AND "
      "sequence = ?5");
  stmt.bind(1, std::int64_t{attempts})
      .bind(2, next_attempt_ms)
      .bind(3, error)
      .bind(4, hook_id)
      .bind(5, sequence);
  stmt.run();
}

template <>
void SqliteOutbox::mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                               std::string_view error) {
  auto stmt = db_.prepare(
      "UPDATE deliveries SET state = 'failed', attempts = ?1, last_error = ?2 WHERE hook_id = ?3 AND "
      "sequence = ?4");
  stmt.bind(1, std::int64_t{attempts}).bind(2, error).bind(3, hook_id).bind(4, sequence).run();
}

template <>
std::int64_t SqliteOutbox::requeue_sequences(const std::vector<std::int64_t>& sequences,
                                             std::int64_t now_ms) {
  auto stmt = db_.prepare(
      "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_ms = ?1, last_error = NULL "
      "WHERE sequence = ?2 AND hook_id IN (SELECT id FROM hooks WHERE disabled = 0)");
  std::int64_t count = 0;
  for (const auto sequence : sequences) {
    stmt.bind(1, now_ms).bind(2, sequence).run();
    count += db_.changes();
    stmt.reset();
  }
  return count;
}

template <>
std::int64_t SqliteOutbox::requeue_failed(std::int64_t now_ms) {
  auto stmt = db_.prepare(
      "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_ms = ?1, last_error = NULL "
      "WHERE state = 'failed' AND hook_id IN (SELECT id FROM hooks WHERE disabled = 0)");
  stmt.bind(1, now_ms).run();
  return db_.changes();
}

template <>
std::vector<model::HookDeliveryCounts> SqliteOutbox::delivery_counts() {
  auto stmt = db_.prepare(shared_sql::kDeliveryCounts);
  std::vector<model::HookDeliveryCounts> counts;
  while (stmt.step()) {
    counts.push_back({stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3), stmt.optional_text(4),
                      stmt.optional_text(5), stmt.int64(6) != 0, std::nullopt});
    if (!stmt.is_null(7)) counts.back().next_attempt_ms = stmt.int64(7);
  }
  return counts;
}

}  // namespace usersctl::store
