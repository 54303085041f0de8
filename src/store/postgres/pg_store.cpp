#include "store/postgres/pg_store.hpp"

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/errors.hpp"
#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_bulk_insert.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_migrations.hpp"
#include "store/postgres/pg_outbox.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_search_sql.hpp"
#include "store/postgres/pg_timeouts.hpp"
#include "store/postgres/pg_user_list_sql.hpp"

namespace usersctl::store::postgres {

namespace {

// The advisory lock every write transaction takes first (pg_advisory_xact_lock), so writers run
// one at a time, as SQLite's: event sequences stay gap-free and "highest id plus one" holds.
// Advisory locks are per database. 0x7573657273637430 is "usersct0" in ASCII.
constexpr const char* kWriterLock = "8463218225862292528";
// A serialization failure or deadlock (which the writer lock should prevent) reruns the work.
constexpr int kMaxAttempts = 10;

std::string lock_timeout_sql() {
  // lock_timeout 0 would mean "wait for ever"; a busy timeout of 0 means "do not wait".
  const int ms = busy_timeout_ms() > 0 ? busy_timeout_ms() : 1;
  return "SET LOCAL lock_timeout = '" + std::to_string(ms) + "ms'";
}

class PgStore final : public Store {
 public:
  explicit PgStore(const std::string& url) : db_(url) { migrate(); }

  void write(const std::function<void()>& work) override {
    const std::string begin =
        "BEGIN; " + lock_timeout_sql() + "; SELECT pg_advisory_xact_lock(" + kWriterLock + ")";
    for (int attempt = 1;; ++attempt) {
      try {
        transaction(begin, work);
        return;
      } catch (const RetryableTransaction& retry) {
        if (attempt >= kMaxAttempts) {
          throw Unavailable(std::string("database is busy: ") + retry.what(), "try again");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
      }
    }
  }

  void read(const std::function<void()>& work) override {
    transaction("BEGIN ISOLATION LEVEL REPEATABLE READ; " + lock_timeout_sql(), work);
  }

  StoreInfo info() override {
    return {"postgresql", db_.location(), schema_version(), static_cast<int>(migrations().size())};
  }

  std::optional<core::User> find_user(std::string_view username) override {
    return first_user(db_.exec(user_select_sql() + " WHERE u.username = $1", Params().add(username)));
  }

  std::optional<std::string> password_hash(std::int64_t user_id) override {
    const Result r = db_.exec("SELECT password_hash FROM users WHERE id = $1", Params().add(user_id));
    if (r.rows() == 0) return std::nullopt;
    return r.optional_text(0, 0);
  }

  std::optional<std::string> user_with_email_key(std::string_view key) override {
    const Result r = db_.exec("SELECT username FROM users WHERE email_key = $1", Params().add(key));
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }

  std::int64_t insert_user(const core::User& user, const std::optional<std::string>& hash) override {
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

  void update_user(const core::User& user) override {
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

  void set_password_hash(std::int64_t user_id, std::string_view hash) override {
    db_.exec("UPDATE users SET password_hash = $1 WHERE id = $2", Params().add(hash).add(user_id));
  }

  void delete_user(std::int64_t user_id) override {
    // Memberships go with it (ON DELETE CASCADE).
    db_.exec("DELETE FROM users WHERE id = $1", Params().add(user_id));
  }

  void list_users(const core::UserQuery& query, const std::function<void(const core::User&)>& sink) override {
    const UserListSql sql = build_user_list_sql(query);
    if (sql.limited && query.limit && *query.limit >= 0 && *query.limit <= kDirectLimit) {
      const Result r = db_.exec(sql.text, sql.params);
      for (int i = 0; i < r.rows(); ++i) sink(read_user_row(r, i));
      return;
    }
    db_.for_each_row(sql.text, sql.params, [&](const Result& r, int row) { sink(read_user_row(r, row)); });
  }

  std::int64_t count_users() override { return db_.exec("SELECT count(*) FROM users").int64(0, 0); }

  void list_names(NameKind kind, std::string_view prefix, std::int64_t limit,
                  const std::function<void(const std::string&)>& sink) override {
    // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte
    // order (COLLATE "C"), answered by a range scan of the UNIQUE index.
    const Result r = db_.exec(kind == NameKind::Users
                                  ? "SELECT username FROM users WHERE username >= $1::text AND username < "
                                    "$1::text || chr(1114111) ORDER BY username LIMIT $2"
                                  : "SELECT name FROM usergroups WHERE name >= $1::text AND name < "
                                    "$1::text || chr(1114111) ORDER BY name LIMIT $2",
                              Params().add(prefix).add_limit(limit));
    for (int i = 0; i < r.rows(); ++i) sink(r.text(i, 0));
  }

  void search_users(const core::SearchQuery& query,
                    const std::function<void(const core::User&)>& sink) override {
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

  std::vector<std::string> attribute_keys() override {
    const Result r = db_.exec(
        "SELECT k FROM (SELECT DISTINCT jsonb_object_keys(attrs) AS k FROM users) keys ORDER BY k COLLATE "
        "\"C\"");
    std::vector<std::string> keys;
    for (int i = 0; i < r.rows(); ++i) keys.push_back(r.text(i, 0));
    return keys;
  }

  void insert_users(std::vector<NewUserRow>& rows) override { insert_user_rows(db_, rows); }
  void insert_events(const std::vector<StoredEvent>& events) override { outbox_.insert_events(events); }

  bool id_in_use(IdSpace space, std::int64_t id) override {
    return db_.exec(space == IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = $1"
                                          : "SELECT 1 FROM usergroups WHERE gid = $1",
                    Params().add(id))
               .rows() > 0;
  }

  std::optional<std::int64_t> highest_id(IdSpace space, std::int64_t low, std::int64_t high) override {
    const Result r =
        db_.exec(space == IdSpace::Uid ? "SELECT max(uid) FROM users WHERE uid >= $1 AND uid < $2"
                                       : "SELECT max(gid) FROM usergroups WHERE gid >= $1 AND gid < $2",
                 Params().add(low).add(high));
    return r.optional_int64(0, 0);
  }

  std::optional<std::int64_t> lowest_free_id(IdSpace space, std::int64_t low, std::int64_t high) override {
    const std::string table = space == IdSpace::Uid ? "users" : "usergroups";
    const std::string column = space == IdSpace::Uid ? "uid" : "gid";
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

  std::optional<core::Group> find_group(std::string_view name) override {
    const Result r = db_.exec(group_select_sql() + " WHERE g.name = $1", Params().add(name));
    if (r.rows() == 0) return std::nullopt;
    return read_group_row(r, 0);
  }

  std::optional<std::int64_t> group_gid(std::string_view name) override {
    const Result r = db_.exec("SELECT gid FROM usergroups WHERE name = $1", Params().add(name));
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  }

  std::int64_t insert_group(const core::Group& group) override {
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

  void update_group(const core::Group& group) override {
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

  void delete_group(std::int64_t group_id) override {
    db_.exec("DELETE FROM usergroups WHERE id = $1", Params().add(group_id));
  }

  bool add_member(std::int64_t group_id, std::int64_t user_id) override {
    return db_.exec("INSERT INTO memberships (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    Params().add(group_id).add(user_id))
               .affected() > 0;
  }

  bool remove_member(std::int64_t group_id, std::int64_t user_id) override {
    return db_.exec("DELETE FROM memberships WHERE group_id = $1 AND user_id = $2",
                    Params().add(group_id).add(user_id))
               .affected() > 0;
  }

  void list_groups(const std::optional<std::string>& member,
                   const std::function<void(const core::Group&)>& sink) override {
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

  std::int64_t count_groups() override { return db_.exec("SELECT count(*) FROM usergroups").int64(0, 0); }

  // The outbox lives in its own file; these only forward.
  std::int64_t last_event_sequence() override { return outbox_.last_event_sequence(); }
  void insert_event(const StoredEvent& event) override { outbox_.insert_event(event); }
  void list_events(std::int64_t after, const std::optional<std::string>& type,
                   std::optional<std::int64_t> limit,
                   const std::function<void(const StoredEvent&)>& sink) override {
    outbox_.list_events(after, type, limit, sink);
  }
  std::optional<StoredEvent> find_event(std::int64_t sequence) override {
    return outbox_.find_event(sequence);
  }
  std::int64_t insert_hook(const Hook& hook) override { return outbox_.insert_hook(hook); }
  std::optional<Hook> find_hook(std::int64_t id) override { return outbox_.find_hook(id); }
  void list_hooks(const std::function<void(const Hook&)>& sink) override { outbox_.list_hooks(sink); }
  void delete_hook(std::int64_t id) override { outbox_.delete_hook(id); }
  void set_hook_disabled(std::int64_t id, bool disabled) override { outbox_.set_hook_disabled(id, disabled); }
  bool claim_hook(std::int64_t id, std::int64_t now_ms, std::int64_t lease_ms) override {
    return outbox_.claim_hook(id, now_ms, lease_ms);
  }
  void release_hook(std::int64_t id) override { outbox_.release_hook(id); }
  void queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) override {
    outbox_.queue_delivery(hook_id, sequence, due_ms);
  }
  std::vector<Delivery> pending_deliveries(std::int64_t hook_id, std::int64_t limit) override {
    return outbox_.pending_deliveries(hook_id, limit);
  }
  void mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) override {
    outbox_.mark_delivered(hook_id, sequence, time);
  }
  void mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts, std::int64_t next_attempt_ms,
                  std::string_view error) override {
    outbox_.mark_retry(hook_id, sequence, attempts, next_attempt_ms, error);
  }
  void mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                   std::string_view error) override {
    outbox_.mark_failed(hook_id, sequence, attempts, error);
  }
  std::int64_t requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms) override {
    return outbox_.requeue_sequences(sequences, now_ms);
  }
  std::int64_t requeue_failed(std::int64_t now_ms) override { return outbox_.requeue_failed(now_ms); }
  std::vector<HookDeliveryCounts> delivery_counts() override { return outbox_.delivery_counts(); }

 private:
  // Results this small come in one round trip; larger ones through a cursor.
  static constexpr std::int64_t kDirectLimit = 1000;

  static std::optional<core::User> first_user(const Result& r) {
    if (r.rows() == 0) return std::nullopt;
    return read_user_row(r, 0);
  }

  void transaction(const std::string& begin, const std::function<void()>& work) {
    try {
      db_.exec_script(begin);
      work();
      db_.exec_script("COMMIT");
    } catch (...) {
      db_.rollback_quietly();
      throw;
    }
  }

  // The recorded schema version; 0 for a database usersctl has never used. One round trip.
  int schema_version() {
    const auto r = db_.exec_unless("SELECT version FROM usersctl_schema", "42P01");  // undefined_table
    if (!r || r->rows() == 0) return 0;
    return static_cast<int>(r->int64(0, 0));
  }

  void refuse_newer_schema(int version) {
    const int known = static_cast<int>(migrations().size());
    if (version > known) {
      throw Unavailable("database '" + db_.location() + "' has schema version " + std::to_string(version) +
                            ", newer than this usersctl understands (" + std::to_string(known) + ")",
                        "upgrade usersctl");
    }
  }

  void migrate() {
    const auto steps = migrations();
    int version = schema_version();
    refuse_newer_schema(version);
    if (version == static_cast<int>(steps.size())) return;
    write([&] {
      db_.exec_script(kSchemaTableSql);
      version = schema_version();  // another process may have migrated meanwhile
      refuse_newer_schema(version);
      for (auto i = static_cast<std::size_t>(version); i < steps.size(); ++i) db_.exec_script(steps[i]);
      db_.exec("UPDATE usersctl_schema SET version = $1",
               Params().add(static_cast<std::int64_t>(steps.size())));
    });
  }

  Connection db_;
  PgOutbox outbox_{db_};
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url) { return std::make_unique<PgStore>(url); }

}  // namespace usersctl::store::postgres
