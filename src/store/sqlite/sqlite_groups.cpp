#include "store/lifecycle_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

// The members of SqliteStore on groups and memberships.
namespace usersctl::store {

using namespace sqlite;

template <>
bool SqliteStore::id_in_use(model::IdSpace space, std::int64_t id) {
  const auto stmt = db_.lease(space == model::IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = ?1"
                                                           : "SELECT 1 FROM usergroups WHERE gid = ?1");
  stmt->bind(1, id);
  return stmt->step();
}

template <>
std::optional<std::int64_t> SqliteStore::group_gid(std::string_view name) {
  return first_row(db_.prepare("SELECT gid FROM usergroups WHERE name = ?1").bind(1, name), int64_column);
}

template <>
std::int64_t SqliteStore::insert_group(const model::Group& group) {
  db_.prepare(
         "INSERT INTO usergroups (name, gid, description, created_at, updated_at, created_by, updated_by, "
         "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind_all(group.name, group.gid, group.description, group.created_at, group.updated_at,
                group.created_by, group.updated_by, group.version)
      .run();
  return db_.last_insert_id();
}

template <>
void SqliteStore::update_group(const model::Group& group) {
  db_.prepare(
         "UPDATE usergroups SET name = ?1, gid = ?2, description = ?3, updated_at = ?4, updated_by = ?5, "
         "version = ?6 WHERE id = ?7")
      .bind_all(group.name, group.gid, group.description, group.updated_at, group.updated_by, group.version,
                group.id)
      .run();
}

template <>
void SqliteStore::delete_group(std::int64_t group_id) {
  delete_record(db_, "DELETE FROM usergroups WHERE id = ?1", lifecycle_sql::kOrphanGroupEvents, group_id);
}

template <>
bool SqliteStore::add_member(std::int64_t group_id, std::int64_t user_id) {
  auto& stmt = db_.cached("INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?1, ?2)");
  stmt.bind(1, group_id).bind(2, user_id).run();
  return db_.changes() > 0;
}

template <>
bool SqliteStore::remove_member(std::int64_t group_id, std::int64_t user_id) {
  auto stmt = db_.prepare("DELETE FROM memberships WHERE group_id = ?1 AND user_id = ?2");
  stmt.bind(1, group_id).bind(2, user_id).run();
  return db_.changes() > 0;
}

template <>
void SqliteStore::list_groups(const std::optional<std::string>& member,
                              const std::function<void(const model::Group&)>& sink) {
  std::string sql = group_select_sql();
  if (member) {
    sql +=
        " WHERE g.id IN (SELECT m.group_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.username = ?1) AND";
  } else {
    sql += " WHERE";
  }
  auto stmt = db_.prepare(sql + " g.deleted_at IS NULL ORDER BY g.name");
  if (member) stmt.bind(1, *member);
  while (stmt.step()) sink(read_group_row(stmt));
}

template <>
std::int64_t SqliteStore::count_groups() {
  return count_rows(db_, "SELECT count(*) FROM usergroups WHERE deleted_at IS NULL");
}

}  // namespace usersctl::store
