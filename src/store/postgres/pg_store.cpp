#include "store/postgres/pg_store.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.hpp"
#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_bulk_insert.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_search_sql.hpp"
#include "store/store.hpp"
#include "store/user_list_sql.hpp"

namespace usersctl::store::postgres {

class PgStore final : public Store {
 public:
  explicit PgStore(Connection& db) : db_(db) {}

  std::optional<model::User> find_user(std::string_view username) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<std::string> user_with_email_key(std::string_view key) override;
  std::int64_t insert_user(const model::User& user, const std::optional<std::string>& hash) override;
  void update_user(const model::User& user) override;
  void set_password_hash(std::int64_t user_id, std::string_view hash) override;
  void delete_user(std::int64_t user_id) override;
  void list_users(const model::UserQuery& query,
                  const std::function<void(const model::User&)>& sink) override;
  std::int64_t count_users() override;
  void list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                  const std::function<void(const std::string&)>& sink) override;
  void search_users(const model::SearchQuery& query,
                    const std::function<void(const model::User&)>& sink) override;
  std::vector<std::string> attribute_keys() override;
  void insert_users(std::vector<NewUserRow>& rows) override;
  bool id_in_use(model::IdSpace space, std::int64_t id) override;
  std::optional<std::int64_t> highest_id(model::IdSpace space, std::int64_t low, std::int64_t high) override;
  std::optional<std::int64_t> lowest_free_id(model::IdSpace space, std::int64_t low,
                                             std::int64_t high) override;
  std::optional<model::Group> find_group(std::string_view name) override;
  std::optional<std::int64_t> group_gid(std::string_view name) override;
  std::int64_t insert_group(const model::Group& group) override;
  void update_group(const model::Group& group) override;
  void delete_group(std::int64_t group_id) override;
  bool add_member(std::int64_t group_id, std::int64_t user_id) override;
  bool remove_member(std::int64_t group_id, std::int64_t user_id) override;
  void list_groups(const std::optional<std::string>& member,
                   const std::function<void(const model::Group&)>& sink) override;
  std::int64_t count_groups() override;

 private:
  static std::optional<model::User> first_user(const Result& r);
  Connection& db_;
};

namespace {

// Results this small come in one round trip; larger ones through a cursor.
constexpr std::int64_t kDirectLimit = 1000;

std::string cast_placeholder(std::size_t number, SqlType type) {
  const char* cast = type == SqlType::Bigint ? "::bigint" : type == SqlType::Integer ? "::integer" : "::text";
  return "$" + std::to_string(number) + cast;
}

// PostgreSQL's side of the shared `list` SQL: typed placeholders, and the attribute test as
// containment of {"KEY": "VALUE"}, answered by the GIN index on attrs.
const SqlDialect kDialect{
    &cast_placeholder,
    [](const std::string& key, const std::string& value) {
      return "u.attrs @> jsonb_build_object(" + key + ", " + value + ")";
    },
    &user_select_sql,
    false,
};

Params params_of(const std::vector<model::FieldValue>& values) {
  Params params;
  for (const auto& value : values) std::visit([&](const auto& v) { params.add(v); }, value);
  return params;
}

}  // namespace

std::optional<model::User> PgStore::find_user(std::string_view username) {
  return first_user(db_.exec(user_select_sql() + " WHERE u.username = $1", Params().add(username)));
}

std::optional<std::string> PgStore::password_hash(std::int64_t user_id) {
  const Result r = db_.exec("SELECT password_hash FROM users WHERE id = $1", Params().add(user_id));
  if (r.rows() == 0) return std::nullopt;
  return r.optional_text(0, 0);
}

std::optional<std::string> PgStore::user_with_email_key(std::string_view key) {
  const Result r = db_.exec("SELECT username FROM users WHERE email_key = $1", Params().add(key));
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

std::int64_t PgStore::insert_user(const model::User& user, const std::optional<std::string>& hash) {
  // Highest id plus one, as SQLite assigns rowids: "oldest first" means the same on both.
  return db_
      .exec(
          "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, "
          "created_at, "
          "updated_at, created_by, updated_by, version, attrs, name_key, attrs_key) VALUES ((SELECT "
          "coalesce(max(id), 0) + 1 FROM users), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, "
          "$15) RETURNING id",
          Params()
              .add(user.username)
              .add(user.uid)
              .add(user.name)
              .add(user.email)
              .add(email_key(user))
              .add(hash)
              .add(std::int64_t{user.disabled})
              .add(user.created_at)
              .add(user.updated_at)
              .add(user.created_by)
              .add(user.updated_by)
              .add(user.version)
              .add(attrs_json(user.attrs))
              .add(name_key(user))
              .add(attrs_key(user)))
      .int64(0, 0);
}

void PgStore::update_user(const model::User& user) {
  db_.exec(
      "UPDATE users SET username = $1, uid = $2, name = $3, email = $4, email_key = $5, disabled = $6, "
      "updated_at = $7, updated_by = $8, version = $9, attrs = $10, name_key = $11, attrs_key = $12 "
      "WHERE id = $13",
      Params()
          .add(user.username)
          .add(user.uid)
          .add(user.name)
          .add(user.email)
          .add(email_key(user))
          .add(std::int64_t{user.disabled})
          .add(user.updated_at)
          .add(user.updated_by)
          .add(user.version)
          .add(attrs_json(user.attrs))
          .add(name_key(user))
          .add(attrs_key(user))
          .add(user.id));
}

void PgStore::set_password_hash(std::int64_t user_id, std::string_view hash) {
  db_.exec("UPDATE users SET password_hash = $1 WHERE id = $2", Params().add(hash).add(user_id));
}

void PgStore::delete_user(std::int64_t user_id) {
  // Memberships go with it (ON DELETE CASCADE).
  db_.exec("DELETE FROM users WHERE id = $1", Params().add(user_id));
}

void PgStore::list_users(const model::UserQuery& query, const std::function<void(const model::User&)>& sink) {
  const UserListSql sql = build_user_list_sql(query, kDialect);
  const Params params = params_of(sql.params);
  if (sql.limited && *query.limit <= kDirectLimit) {
    const Result r = db_.exec(sql.text, params);
    for (int i = 0; i < r.rows(); ++i) sink(read_user_row(r, i));
    return;
  }
  db_.for_each_row(sql.text, params, [&](const Result& r, int row) { sink(read_user_row(r, row)); });
}

std::int64_t PgStore::count_users() { return db_.exec("SELECT count(*) FROM users").int64(0, 0); }

void PgStore::list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                         const std::function<void(const std::string&)>& sink) {
  // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte
  // order (COLLATE "C"), answered by a range scan of the UNIQUE index.
  const Result r = db_.exec(kind == model::NameKind::Users
                                ? "SELECT username FROM users WHERE username >= $1::text AND username < "
                                  "$1::text || chr(1114111) ORDER BY username LIMIT $2"
                                : "SELECT name FROM usergroups WHERE name >= $1::text AND name < "
                                  "$1::text || chr(1114111) ORDER BY name LIMIT $2",
                            Params().add(prefix).add_limit(limit));
  for (int i = 0; i < r.rows(); ++i) sink(r.text(i, 0));
}

void PgStore::search_users(const model::SearchQuery& query,
                           const std::function<void(const model::User&)>& sink) {
  const SearchSql sql = build_search_sql(query);
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  const auto limit = static_cast<std::size_t>(query.limit);
  if (!sql.username_prefix.empty() && limit > 0) {
    const Result r = db_.exec(sql.username_prefix, Params().add(query.text).add(query.limit));
    for (int i = 0; i < r.rows(); ++i) {
      ids.push_back(r.int64(i, 0));
      seen.insert(ids.back());
    }
  }
  if (ids.size() < limit) {
    // Enough rows to fill the page after dropping those the first tier already has.
    const auto want = static_cast<std::int64_t>(limit + ids.size());
    const Result r = db_.exec(sql.others, Params().add(sql.others_param).add(want));
    for (int i = 0; i < r.rows() && ids.size() < limit; ++i) {
      if (seen.insert(r.int64(i, 0)).second) ids.push_back(r.int64(i, 0));
    }
  }
  if (ids.empty()) return;
  ArrayLiteral wanted;
  for (const auto id : ids) wanted.add(id);
  const Result rows =
      db_.exec(user_select_sql() + " WHERE u.id = ANY($1::bigint[])", Params().add(wanted.str()));
  std::map<std::int64_t, int> row_of;
  for (int i = 0; i < rows.rows(); ++i) row_of[rows.int64(i, 0)] = i;
  for (const auto id : ids) {
    if (const auto it = row_of.find(id); it != row_of.end()) sink(read_user_row(rows, it->second));
  }
}

std::vector<std::string> PgStore::attribute_keys() {
  const Result r = db_.exec(
      "SELECT k FROM (SELECT DISTINCT jsonb_object_keys(attrs) AS k FROM users) keys ORDER BY k COLLATE "
      "\"C\"");
  std::vector<std::string> keys;
  for (int i = 0; i < r.rows(); ++i) keys.push_back(r.text(i, 0));
  return keys;
}

void PgStore::insert_users(std::vector<NewUserRow>& rows) { insert_user_rows(db_, rows); }

std::optional<model::User> PgStore::first_user(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  return read_user_row(r, 0);
}

bool PgStore::id_in_use(model::IdSpace space, std::int64_t id) {
  return db_.exec(space == model::IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = $1"
                                               : "SELECT 1 FROM usergroups WHERE gid = $1",
                  Params().add(id))
             .rows() > 0;
}

std::optional<std::int64_t> PgStore::highest_id(model::IdSpace space, std::int64_t low, std::int64_t high) {
  const Result r =
      db_.exec(space == model::IdSpace::Uid ? "SELECT max(uid) FROM users WHERE uid >= $1 AND uid < $2"
                                            : "SELECT max(gid) FROM usergroups WHERE gid >= $1 AND gid < $2",
               Params().add(low).add(high));
  return r.optional_int64(0, 0);
}

std::optional<std::int64_t> PgStore::lowest_free_id(model::IdSpace space, std::int64_t low,
                                                    std::int64_t high) {
  const std::string table = space == model::IdSpace::Uid ? "users" : "usergroups";
  const std::string column = space == model::IdSpace::Uid ? "uid" : "gid";
  // The range start when free, else the first id in range whose predecessor is taken.
  const Result r = db_.exec("SELECT $1::bigint WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " +
                                column + " = $1::bigint) UNION ALL SELECT t." + column + " + 1 FROM " +
                                table + " t WHERE t." + column + " >= $1::bigint AND t." + column +
                                " + 1 < $2::bigint AND NOT EXISTS (SELECT 1 FROM " + table + " n WHERE n." +
                                column + " = t." + column + " + 1) ORDER BY 1 LIMIT 1",
                            Params().add(low).add(high));
  if (r.rows() == 0) return std::nullopt;
  return r.int64(0, 0);
}

std::optional<model::Group> PgStore::find_group(std::string_view name) {
  const Result r = db_.exec(group_select_sql() + " WHERE g.name = $1", Params().add(name));
  if (r.rows() == 0) return std::nullopt;
  return read_group_row(r, 0);
}

std::optional<std::int64_t> PgStore::group_gid(std::string_view name) {
  const Result r = db_.exec("SELECT gid FROM usergroups WHERE name = $1", Params().add(name));
  if (r.rows() == 0) return std::nullopt;
  return r.int64(0, 0);
}

std::int64_t PgStore::insert_group(const model::Group& group) {
  return db_
      .exec(
          "INSERT INTO usergroups (id, name, gid, description, created_at, updated_at, created_by, "
          "updated_by, "
          "version) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM usergroups), $1, $2, $3, $4, $5, $6, $7, "
          "$8) "
          "RETURNING id",
          Params()
              .add(group.name)
              .add(group.gid)
              .add(group.description)
              .add(group.created_at)
              .add(group.updated_at)
              .add(group.created_by)
              .add(group.updated_by)
              .add(group.version))
      .int64(0, 0);
}

void PgStore::update_group(const model::Group& group) {
  db_.exec(
      "UPDATE usergroups SET name = $1, gid = $2, description = $3, updated_at = $4, updated_by = $5, "
      "version = $6 WHERE id = $7",
      Params()
          .add(group.name)
          .add(group.gid)
          .add(group.description)
          .add(group.updated_at)
          .add(group.updated_by)
          .add(group.version)
          .add(group.id));
}

void PgStore::delete_group(std::int64_t group_id) {
  db_.exec("DELETE FROM usergroups WHERE id = $1", Params().add(group_id));
}

bool PgStore::add_member(std::int64_t group_id, std::int64_t user_id) {
  return db_.exec("INSERT INTO memberships (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                  Params().add(group_id).add(user_id))
             .affected() > 0;
}

bool PgStore::remove_member(std::int64_t group_id, std::int64_t user_id) {
  return db_.exec("DELETE FROM memberships WHERE group_id = $1 AND user_id = $2",
                  Params().add(group_id).add(user_id))
             .affected() > 0;
}

void PgStore::list_groups(const std::optional<std::string>& member,
                          const std::function<void(const model::Group&)>& sink) {
  std::string sql = group_select_sql();
  Params params;
  if (member) {
    sql +=
        " WHERE g.id IN (SELECT m.group_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.username = $1)";
    params.add(*member);
  }
  db_.for_each_row(sql + " ORDER BY g.name", params,
                   [&](const Result& r, int row) { sink(read_group_row(r, row)); });
}

std::int64_t PgStore::count_groups() { return db_.exec("SELECT count(*) FROM usergroups").int64(0, 0); }

std::unique_ptr<Store> make_pg_store(Connection& db) { return std::make_unique<PgStore>(db); }

}  // namespace usersctl::store::postgres
