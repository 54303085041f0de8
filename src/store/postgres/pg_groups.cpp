#include "store/lifecycle_sql.hpp"
#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"

namespace usersctl::store {

using namespace postgres;

template <>
bool PgStore::id_in_use(model::IdSpace space, std::int64_t id) {
  return db_.exec(space == model::IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = $1"
                                               : "SELECT 1 FROM usergroups WHERE gid = $1",
                  Params().add(id))
             .rows() > 0;
}

template <>
std::optional<model::Group> PgStore::find_group(std::string_view name) {
  return first_row(db_.exec(group_select_sql() + " WHERE g.name = $1", Params().add(name)), read_group_row);
}

template <>
std::optional<std::int64_t> PgStore::group_gid(std::string_view name) {
  return first_row(db_.exec("SELECT gid FROM usergroups WHERE name = $1", Params().add(name)), int64_column);
}

template <>
std::int64_t PgStore::insert_group(const model::Group& group) {
  return db_
      .exec(
          "INSERT INTO usergroups (id, name, gid, description, created_at, updated_at, created_by, "
          "updated_by, "
          "version) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM usergroups), $1, $2, $3, $4, $5, $6, $7, "
          "$8) "
          "RETURNING id",
          Params().add_all(group.name, group.gid, group.description, group.created_at, group.updated_at,
                           group.created_by, group.updated_by, group.version))
      .int64(0, 0);
}

template <>
void PgStore::update_group(const model::Group& group) {
  db_.exec(
      "UPDATE usergroups SET name = $1, gid = $2, description = $3, updated_at = $4, updated_by = $5, "
      "version = $6 WHERE id = $7",
      Params().add_all(group.name, group.gid, group.description, group.updated_at, group.updated_by,
                       group.version, group.id));
}

template <>
void PgStore::delete_group(std::int64_t group_id) {
  db_.exec("DELETE FROM usergroups WHERE id = $1", Params().add(group_id));
  db_.exec(lifecycle_sql::kOrphanGroupEvents, Params().add(group_id));
}

template <>
bool PgStore::add_member(std::int64_t group_id, std::int64_t user_id) {
  return db_.exec("INSERT INTO memberships (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                  Params().add(group_id).add(user_id))
             .affected() > 0;
}

template <>
bool PgStore::remove_member(std::int64_t group_id, std::int64_t user_id) {
  return db_.exec("DELETE FROM memberships WHERE group_id = $1 AND user_id = $2",
                  Params().add(group_id).add(user_id))
             .affected() > 0;
}

template <>
void PgStore::list_groups(const std::optional<std::string>& member,
                          const std::function<void(const model::Group&)>& sink) {
  std::string sql = group_select_sql();
  Params params;
  if (member) {
    sql +=
        " WHERE g.id IN (SELECT m.group_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.username = $1) AND";
    params.add(*member);
  } else {
    sql += " WHERE";
  }
  db_.for_each_row(sql + " g.deleted_at IS NULL ORDER BY g.name", params,
                   [&](const Result& r, int row) { sink(read_group_row(r, row)); });
}

template <>
std::int64_t PgStore::count_groups() {
  return db_.exec("SELECT count(*) FROM usergroups WHERE deleted_at IS NULL").int64(0, 0);
}

}  // namespace usersctl::store
