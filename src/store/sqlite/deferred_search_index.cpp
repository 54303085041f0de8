// Row-at-a-time trigger maintenance is most of a bulk load's cost: each users row costs an FTS5
// insert, each attribute an FTS5 update (delete and insert) and a users update. Built in bulk,
// the same content costs one pass (and the row's attrs_text none: it is written with the row).

#include "store/sqlite/deferred_search_index.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace usersctl::store::sqlite {

namespace {

constexpr std::size_t kDefaultRows = 1000;

struct Trigger {
  std::string name, sql;
};

// The triggers an insert fires, as the schema declares them; empty when one is missing.
std::vector<Trigger> insert_triggers(Connection& db) {
  std::vector<Trigger> found;
  auto stmt = db.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
      "('users_search_insert', 'user_attrs_search_insert', 'user_attrs_text_insert') ORDER BY name");
  while (stmt.step()) found.push_back({stmt.text(0), stmt.text(1)});
  if (found.size() != 3) found.clear();
  return found;
}

// The attribute trigger limited to users older than the load: "... ON user_attrs BEGIN" gains
// "WHEN new.user_id < FROM". Empty when the text is not of that form.
std::string older_users_only(const std::string& sql, std::int64_t from) {
  const std::string head = " ON user_attrs BEGIN";
  const auto at = sql.find(head);
  if (at == std::string::npos) return {};
  return sql.substr(0, at) + " ON user_attrs WHEN new.user_id < " + std::to_string(from) + " BEGIN" +
         sql.substr(at + head.size());
}

void run_with_from(Connection& db, const char* sql, std::int64_t from) {
  auto stmt = db.prepare(sql);
  stmt.bind(1, from);
  stmt.run();
}

// The index content the triggers would have written for the rows from `from` on. Their
// attrs_text needs nothing: every users insert writes it with the row (bind_user_row).
void build_index(Connection& db, std::int64_t from) {
  run_with_from(
      db,
      "INSERT INTO user_search (rowid, username, name, email, attrs) "
      "SELECT u.id, u.username, u.name, coalesce(u.email, ''), "
      "coalesce((SELECT group_concat(a.value, char(10)) FROM user_attrs a WHERE a.user_id = u.id), '') "
      "FROM users u WHERE u.id >= ?1 ORDER BY u.id",
      from);
}

}  // namespace

bool deferred_index_wanted(std::size_t rows) {
  static const std::size_t threshold = [] {
    const char* text = std::getenv("USERSCTL_BULK_INDEX_ROWS");
    const long value = text ? std::atol(text) : 0;
    return value > 0 ? static_cast<std::size_t>(value) : kDefaultRows;
  }();
  return rows >= threshold;
}

void defer_search_index(Connection& db) {
  if (db.has_before_commit()) return;
  const auto triggers = insert_triggers(db);
  if (triggers.empty()) return;
  auto highest = db.prepare("SELECT coalesce(max(id), 0) + 1 FROM users");
  highest.step();
  const std::int64_t from = highest.int64(0);
  std::vector<std::string> limited;
  for (const auto& trigger : triggers) {
    if (trigger.name == "users_search_insert") continue;  // every new users row is the load's
    limited.push_back(older_users_only(trigger.sql, from));
    if (limited.back().empty()) return;
  }
  for (const auto& trigger : triggers) db.exec(("DROP TRIGGER " + trigger.name).c_str());
  for (const auto& sql : limited) db.exec(sql.c_str());
  db.set_before_commit([&db, from, triggers] {
    build_index(db, from);
    for (const auto& trigger : triggers) {
      db.exec(("DROP TRIGGER IF EXISTS " + trigger.name).c_str());
      db.exec(trigger.sql.c_str());
    }
  });
}

}  // namespace usersctl::store::sqlite
