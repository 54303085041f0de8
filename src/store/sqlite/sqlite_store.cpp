#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/search_sql.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_outbox.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/user_list_sql.hpp"

namespace usersctl::store::sqlite {

namespace {

constexpr int kDefaultBusyTimeoutMs = 10000;

int busy_timeout_ms() {
  // Tests shorten the wait; admins may lengthen it for long imports by others.
  if (const char* env = std::getenv("USERSCTL_BUSY_TIMEOUT_MS")) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 0 && value <= 3600000) return static_cast<int>(value);
  }
  return kDefaultBusyTimeoutMs;
}

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Creates `dir` with mode 0700 (the database holds password hashes), and any missing
// folders above it as mkdir -p would.
void make_private_dir(const std::string& dir, mode_t mode = 0700) {
  struct stat st {};
  if (dir.empty() || ::stat(dir.c_str(), &st) == 0) return;
  make_private_dir(parent_dir(dir), 0777);
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    throw Unavailable("cannot create folder '" + dir + "': " + std::strerror(errno));
  }
}

// Creates the database file with mode 0600 whatever the umask, so SQLite's -wal and -shm
// files (which copy the database's mode) are private too.
void prepare_database_file(const std::string& path, CreateFolders folders) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw Unavailable("cannot open database '" + path + "': it is a directory");
    return;
  }
  if (folders == CreateFolders::Yes) make_private_dir(parent_dir(path));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // another process created it first
    throw Unavailable("cannot create database '" + path + "': " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);
  ::close(fd);
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) : path_(path), db_(path) {
    sqlite3_busy_timeout(db_.handle(), busy_timeout_ms());
    // A 32 MiB page cache (allocated only as used) keeps a bulk load's index pages in memory;
    // single commands never touch that much.
    db_.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;");
    register_search_functions(db_.handle());
    migrate();
  }

  void write(const std::function<void()>& work) override { transaction("BEGIN IMMEDIATE", work); }
  void read(const std::function<void()>& work) override { transaction("BEGIN", work); }

  StoreInfo info() override {
    return {"sqlite", path_, schema_version(), static_cast<int>(migrations().size())};
  }

  std::optional<core::User> find_user(std::string_view username) override {
    auto stmt = db_.prepare(user_select_sql() + " WHERE u.username = ?1");
    stmt.bind(1, username);
    if (!stmt.step()) return std::nullopt;
    return read_user_row(stmt);
  }

  std::optional<std::string> password_hash(std::int64_t user_id) override {
    auto stmt = db_.prepare("SELECT password_hash FROM users WHERE id = ?1");
    stmt.bind(1, user_id);
    if (!stmt.step()) return std::nullopt;
    return stmt.optional_text(0);
  }

  std::optional<std::string> user_with_email_key(std::string_view email_key) override {
    auto stmt = db_.prepare("SELECT username FROM users WHERE email_key = ?1");
    stmt.bind(1, email_key);
    if (!stmt.step()) return std::nullopt;
    return stmt.text(0);
  }

  std::int64_t insert_user(const core::User& user, const std::optional<std::string>& hash) override {
    auto& stmt = db_.cached(
        "INSERT INTO users (username, uid, name, email, email_key, password_hash, disabled, created_at, "
        "updated_at, created_by, updated_by, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12)");
    stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
    stmt.bind(5, email_key(user)).bind(6, hash).bind(7, std::int64_t{user.disabled});
    stmt.bind(8, user.created_at).bind(9, user.updated_at).bind(10, user.created_by);
    stmt.bind(11, user.updated_by).bind(12, user.version);
    stmt.run();
    const std::int64_t id = db_.last_insert_id();
    insert_attrs(id, user.attrs);
    return id;
  }

  // A bulk load inserts users many rows to a statement: the FTS5 index behind the users table
  // does its statement-end work once per statement, which dominates row-at-a-time inserts.
  void insert_users(std::vector<NewUserRow>& rows) override {
    for (std::size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
      const std::size_t count = std::min(kRowsPerInsert, rows.size() - start);
      if (!insert_user_chunk(rows, start, count)) insert_users_one_by_one(rows, start, count);
      for (std::size_t i = start; i < start + count; ++i) {
        insert_attrs(rows[i].user.id, rows[i].user.attrs);
        for (const auto group_id : rows[i].group_ids) add_member(group_id, rows[i].user.id);
      }
    }
  }

  void update_user(const core::User& user) override {
    auto stmt = db_.prepare(
        "UPDATE users SET username = ?1, uid = ?2, name = ?3, email = ?4, email_key = ?5, disabled = ?6, "
        "updated_at = ?7, updated_by = ?8, version = ?9 WHERE id = ?10");
    stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
    stmt.bind(5, email_key(user)).bind(6, std::int64_t{user.disabled}).bind(7, user.updated_at);
    stmt.bind(8, user.updated_by).bind(9, user.version).bind(10, user.id);
    stmt.run();
    auto clear = db_.prepare("DELETE FROM user_attrs WHERE user_id = ?1");
    clear.bind(1, user.id).run();
    insert_attrs(user.id, user.attrs);
  }

  void set_password_hash(std::int64_t user_id, std::string_view hash) override {
    auto stmt = db_.prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2");
    stmt.bind(1, hash).bind(2, user_id).run();
  }

  void delete_user(std::int64_t user_id) override {
    // Attributes and memberships go with it (ON DELETE CASCADE).
    auto stmt = db_.prepare("DELETE FROM users WHERE id = ?1");
    stmt.bind(1, user_id).run();
  }

  void list_users(const core::UserQuery& query, const std::function<void(const core::User&)>& sink) override {
    stream_users(build_user_list_sql(query), sink);
  }

  void search_users(const core::SearchQuery& query,
                    const std::function<void(const core::User&)>& sink) override {
    const SearchSql sql = build_search_sql(query);
    std::vector<std::int64_t> ids;
    std::set<std::int64_t> seen;
    const auto limit = static_cast<std::size_t>(query.limit);
    if (!sql.username_prefix.empty() && limit > 0) {
      auto stmt = db_.prepare(sql.username_prefix);
      stmt.bind(1, query.text).bind(2, query.limit);
      while (stmt.step()) {
        ids.push_back(stmt.int64(0));
        seen.insert(ids.back());
      }
    }
    if (ids.size() < limit) {
      auto stmt = db_.prepare(sql.others);
      stmt.bind(1, sql.others_param);
      while (ids.size() < limit && stmt.step()) {
        if (seen.insert(stmt.int64(0)).second) ids.push_back(stmt.int64(0));
      }
    }
    auto fetch = db_.prepare(user_select_sql() + " WHERE u.id = ?1");
    for (const auto id : ids) {
      fetch.bind(1, id);
      if (fetch.step()) sink(read_user_row(fetch));
      fetch.reset();
    }
  }

  std::int64_t count_users() override { return count("SELECT count(*) FROM users"); }

  void list_names(NameKind kind, std::string_view prefix, std::int64_t limit,
                  const std::function<void(const std::string&)>& sink) override {
    // Names are ASCII, so [prefix, prefix || U+10FFFF) is exactly "starts with prefix" in byte order,
    // and SQLite answers it with a range scan of the UNIQUE index.
    auto stmt = db_.prepare(kind == NameKind::Users
                                ? "SELECT username FROM users WHERE username >= ?1 AND username < ?1 || "
                                  "char(0x10FFFF) ORDER BY username LIMIT ?2"
                                : "SELECT name FROM usergroups WHERE name >= ?1 AND name < ?1 || "
                                  "char(0x10FFFF) ORDER BY name LIMIT ?2");
    stmt.bind(1, prefix).bind(2, limit);
    while (stmt.step()) sink(stmt.text(0));
  }

  std::vector<std::string> attribute_keys() override {
    // A skip scan of the (key, value) index: one seek per distinct key, not one row per
    // attribute, so a million users with a handful of keys answer at once.
    auto stmt = db_.prepare(
        "WITH RECURSIVE k(key) AS (SELECT min(key) FROM user_attrs UNION ALL "
        "SELECT (SELECT min(a.key) FROM user_attrs a WHERE a.key > k.key) FROM k WHERE k.key IS NOT NULL) "
        "SELECT key FROM k WHERE key IS NOT NULL");
    std::vector<std::string> keys;
    while (stmt.step()) keys.push_back(stmt.text(0));
    return keys;
  }

  bool id_in_use(IdSpace space, std::int64_t id) override {
    auto stmt = db_.prepare(space == IdSpace::Uid ? "SELECT 1 FROM users WHERE uid = ?1"
                                                  : "SELECT 1 FROM usergroups WHERE gid = ?1");
    stmt.bind(1, id);
    return stmt.step();
  }

  std::optional<std::int64_t> highest_id(IdSpace space, std::int64_t low, std::int64_t high) override {
    auto stmt =
        db_.prepare(space == IdSpace::Uid ? "SELECT max(uid) FROM users WHERE uid >= ?1 AND uid < ?2"
                                          : "SELECT max(gid) FROM usergroups WHERE gid >= ?1 AND gid < ?2");
    stmt.bind(1, low).bind(2, high);
    if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
    return stmt.int64(0);
  }

  std::optional<std::int64_t> lowest_free_id(IdSpace space, std::int64_t low, std::int64_t high) override {
    const std::string table = space == IdSpace::Uid ? "users" : "usergroups";
    const std::string column = space == IdSpace::Uid ? "uid" : "gid";
    // The first id in range whose predecessor is taken or which is the range start.
    auto stmt = db_.prepare("SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + column +
                            " = ?1) UNION ALL SELECT t." + column + " + 1 FROM " + table + " t WHERE t." +
                            column + " >= ?1 AND t." + column + " + 1 < ?2 AND NOT EXISTS (SELECT 1 FROM " +
                            table + " n WHERE n." + column + " = t." + column + " + 1) ORDER BY 1 LIMIT 1");
    stmt.bind(1, low).bind(2, high);
    if (!stmt.step()) return std::nullopt;
    return stmt.int64(0);
  }

  std::optional<core::Group> find_group(std::string_view name) override {
    auto stmt = db_.prepare(group_select_sql() + " WHERE g.name = ?1");
    stmt.bind(1, name);
    if (!stmt.step()) return std::nullopt;
    return read_group_row(stmt);
  }

  std::optional<std::int64_t> group_gid(std::string_view name) override {
    auto stmt = db_.prepare("SELECT gid FROM usergroups WHERE name = ?1");
    stmt.bind(1, name);
    if (!stmt.step()) return std::nullopt;
    return stmt.int64(0);
  }

  std::int64_t insert_group(const core::Group& group) override {
    auto stmt = db_.prepare(
        "INSERT INTO usergroups (name, gid, description, created_at, updated_at, created_by, updated_by, "
        "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    stmt.bind(1, group.name).bind(2, group.gid).bind(3, group.description).bind(4, group.created_at);
    stmt.bind(5, group.updated_at).bind(6, group.created_by).bind(7, group.updated_by).bind(8, group.version);
    stmt.run();
    return db_.last_insert_id();
  }

  void update_group(const core::Group& group) override {
    auto stmt = db_.prepare(
        "UPDATE usergroups SET name = ?1, gid = ?2, description = ?3, updated_at = ?4, updated_by = ?5, "
        "version = ?6 WHERE id = ?7");
    stmt.bind(1, group.name).bind(2, group.gid).bind(3, group.description).bind(4, group.updated_at);
    stmt.bind(5, group.updated_by).bind(6, group.version).bind(7, group.id);
    stmt.run();
  }

  void delete_group(std::int64_t group_id) override {
    auto stmt = db_.prepare("DELETE FROM usergroups WHERE id = ?1");
    stmt.bind(1, group_id).run();
  }

  bool add_member(std::int64_t group_id, std::int64_t user_id) override {
    auto& stmt = db_.cached("INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?1, ?2)");
    stmt.bind(1, group_id).bind(2, user_id).run();
    return db_.changes() > 0;
  }

  bool remove_member(std::int64_t group_id, std::int64_t user_id) override {
    auto stmt = db_.prepare("DELETE FROM memberships WHERE group_id = ?1 AND user_id = ?2");
    stmt.bind(1, group_id).bind(2, user_id).run();
    return db_.changes() > 0;
  }

  void list_groups(const std::optional<std::string>& member,
                   const std::function<void(const core::Group&)>& sink) override {
    std::string sql = group_select_sql();
    if (member) {
      sql +=
          " WHERE g.id IN (SELECT m.group_id FROM memberships m JOIN users u ON u.id = m.user_id "
          "WHERE u.username = ?1)";
    }
    auto stmt = db_.prepare(sql + " ORDER BY g.name");
    if (member) stmt.bind(1, *member);
    while (stmt.step()) sink(read_group_row(stmt));
  }

  std::int64_t count_groups() override { return count("SELECT count(*) FROM usergroups"); }

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
  void stream_users(const UserListSql& sql, const std::function<void(const core::User&)>& sink) {
    auto stmt = db_.prepare(sql.text);
    for (std::size_t i = 0; i < sql.params.size(); ++i) {
      std::visit([&](const auto& value) { stmt.bind(static_cast<int>(i + 1), value); }, sql.params[i]);
    }
    while (stmt.step()) sink(read_user_row(stmt));
  }

  static std::optional<std::string> email_key(const core::User& user) {
    if (!user.email) return std::nullopt;
    return core::fold_case(*user.email);
  }

  std::int64_t count(const char* sql) {
    auto stmt = db_.prepare(sql);
    stmt.step();
    return stmt.int64(0);
  }

  static constexpr std::size_t kRowsPerInsert = 64;

  // One INSERT of `count` rows with ids given explicitly (the next after the highest), so each
  // row learns its id. False when a uniqueness rule failed: the statement undid itself.
  bool insert_user_chunk(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count) {
    auto& highest = db_.cached("SELECT coalesce(max(id), 0) FROM users");
    highest.step();
    const std::int64_t base = highest.int64(0);
    highest.reset();
    std::unique_ptr<Statement> partial;
    Statement& insert = count == kRowsPerInsert ? full_chunk_insert() : *(partial = chunk_insert(count));
    for (std::size_t i = 0; i < count; ++i) {
      core::User& user = rows[start + i].user;
      user.id = base + 1 + static_cast<std::int64_t>(i);
      const int p = static_cast<int>(i) * 13;
      insert.bind(p + 1, user.id).bind(p + 2, user.username).bind(p + 3, user.uid).bind(p + 4, user.name);
      insert.bind(p + 5, user.email).bind(p + 6, email_key(user)).bind(p + 7, rows[start + i].password_hash);
      insert.bind(p + 8, std::int64_t{user.disabled}).bind(p + 9, user.created_at).bind(p + 10, user.updated_at);
      insert.bind(p + 11, user.created_by).bind(p + 12, user.updated_by).bind(p + 13, user.version);
    }
    try {
      insert.run();
    } catch (const Conflict&) {
      return false;
    }
    return true;
  }

  // Finds the row that broke a uniqueness rule, inserting the ones before it.
  void insert_users_one_by_one(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count) {
    for (std::size_t i = start; i < start + count; ++i) {
      core::User& user = rows[i].user;
      auto& stmt = db_.cached(
          "INSERT INTO users (username, uid, name, email, email_key, password_hash, disabled, created_at, "
          "updated_at, created_by, updated_by, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
          "?12)");
      stmt.bind(1, user.username).bind(2, user.uid).bind(3, user.name).bind(4, user.email);
      stmt.bind(5, email_key(user)).bind(6, rows[i].password_hash).bind(7, std::int64_t{user.disabled});
      stmt.bind(8, user.created_at).bind(9, user.updated_at).bind(10, user.created_by);
      stmt.bind(11, user.updated_by).bind(12, user.version);
      try {
        stmt.run();
      } catch (const Conflict& conflict) {
        throw RowConflict(i, conflict.what());
      }
      user.id = db_.last_insert_id();
    }
  }

  std::unique_ptr<Statement> chunk_insert(std::size_t count) {
    std::string sql =
        "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, "
        "updated_at, created_by, updated_by, version) VALUES ";
    for (std::size_t i = 0; i < count; ++i) sql += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return std::make_unique<Statement>(db_.handle(), sql);
  }

  Statement& full_chunk_insert() {
    if (!full_chunk_insert_) {
      full_chunk_insert_ = chunk_insert(kRowsPerInsert);
    } else {
      full_chunk_insert_->reset();
    }
    return *full_chunk_insert_;
  }

  void insert_attrs(std::int64_t user_id, const core::Attributes& attrs) {
    if (attrs.empty()) return;
    auto& stmt = db_.cached("INSERT INTO user_attrs (user_id, key, value) VALUES (?1, ?2, ?3)");
    for (const auto& [key, value] : attrs) {
      stmt.reset();
      stmt.bind(1, user_id).bind(2, key).bind(3, value);
      stmt.run();
    }
  }

  void transaction(const char* begin, const std::function<void()>& work) {
    db_.exec(begin);
    try {
      work();
      db_.exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  int schema_version() {
    auto stmt = db_.prepare("PRAGMA user_version");
    stmt.step();
    return static_cast<int>(stmt.int64(0));
  }

  void refuse_newer_schema(int version) {
    const int known = static_cast<int>(migrations().size());
    if (version > known) {
      throw Unavailable("database '" + path_ + "' has schema version " + std::to_string(version) +
                            ", newer than this usersctl understands (" + std::to_string(known) + ")",
                        "upgrade usersctl");
    }
  }

  // WAL lets readers run beside the one writer. It is persistent, so only a new database
  // needs it; switching may meet a concurrent creator, hence the retry.
  void enable_wal() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms());
    while (true) {
      const int rc = sqlite3_exec(db_.handle(), "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) return;
      if ((rc & 0xFF) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
        throw_sqlite_error(db_.handle(), rc, "enabling WAL");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void migrate() {
    const auto steps = migrations();
    int version = schema_version();
    refuse_newer_schema(version);
    if (version == static_cast<int>(steps.size())) return;
    if (version == 0) enable_wal();
    write([&] {
      version = schema_version();  // another process may have migrated meanwhile
      refuse_newer_schema(version);
      for (auto i = static_cast<std::size_t>(version); i < steps.size(); ++i) db_.exec(steps[i]);
      db_.exec(("PRAGMA user_version = " + std::to_string(steps.size())).c_str());
    });
  }

  std::string path_;
  Connection db_;
  SqliteOutbox outbox_{db_};
  std::unique_ptr<Statement> full_chunk_insert_;  // after db_: finalized before it closes
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, CreateFolders folders) {
  if (path != ":memory:") prepare_database_file(path, folders);
  return std::make_unique<SqliteStore>(path);
}

}  // namespace usersctl::store::sqlite
