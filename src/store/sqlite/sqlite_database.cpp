#include "store/sqlite/sqlite_database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "store/backend_consumers.hpp"
#include "store/busy_timeout.hpp"
#include "store/connection_profile.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/search_sql.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_outbox.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/errors.hpp"

namespace usersctl::store::sqlite {

namespace {

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Creates `dir` with mode 0700 (the database holds password hashes), and any missing
// folders above it as mkdir -p would, but 0755 at most whatever the umask: a folder others may
// write lets them swap the database folder beneath it.
void make_private_dir(const std::string& dir, mode_t mode = 0700) {
  struct stat st {};
  if (dir.empty() || ::stat(dir.c_str(), &st) == 0) return;
  make_private_dir(parent_dir(dir), 0755);
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    throw Unavailable("cannot create folder '" + dir + "': " + std::strerror(errno));
  }
}

// The folder of the database must be no one else's to change: not writable by others (unless
// sticky, as /tmp), and owned by us or root. Else another user could replace the database.
void refuse_unsafe_folder(const std::string& path) {
  const std::string dir = parent_dir(path);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;  // opening says what is wrong
  const bool others_write = (st.st_mode & S_IWOTH) != 0 && (st.st_mode & S_ISVTX) == 0;
  const bool foreign_owner = st.st_uid != ::geteuid() && st.st_uid != 0;
  if (!others_write && !foreign_owner) return;
  throw Unavailable("database folder '" + dir + "' " +
                        (others_write ? "is writable by other users" : "belongs to another user") +
                        ": refusing to use it",
                    others_write ? "chmod o-w '" + dir + "', or keep the database elsewhere"
                                 : "keep the database in a folder of your own");
}

// A read opens what is there: no file, no folder, no schema of its own.
void require_database_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      throw Unavailable("no database at " + path, "create it with any change, e.g. usersctl add");
    }
    throw Unavailable("cannot open database '" + path + "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) throw Unavailable("cannot open database '" + path + "': it is a directory");
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

// One SQLite file: the connection, its transactions and migrations, and the records and outbox on it.
class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, model::OpenMode mode)
      // An in-memory database leaves nothing behind: it is created whatever the mode.
      : path_(path), db_(path, mode == model::OpenMode::CreateIfMissing || path == ":memory:") {
    sqlite3_busy_timeout(db_.handle(), busy_timeout_ms());
    // A 32 MiB page cache (allocated only as used) keeps a bulk load's index pages in memory;
    // single commands never touch that much. A lookup connection, one of many in a long-running
    // service, keeps 2 MiB: the upper levels of the indexes it walks (connection_profile.hpp).
    db_.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
    db_.exec(lookup_connections() ? "PRAGMA cache_size = -2048" : "PRAGMA cache_size = -32768");
    register_search_functions(db_.handle());
    migrate();
  }

  void write(const std::function<void()>& work) override { transaction("BEGIN IMMEDIATE", work); }
  void read(const std::function<void()>& work) override { transaction("BEGIN", work); }

  model::DatabaseInfo info() override {
    return {"sqlite", path_, schema_version(), static_cast<int>(migrations().size())};
  }
  Store& records() override { return records_; }
  Outbox& outbox() override { return outbox_; }
  Consumers& consumers() override { return consumers_; }

 private:
  // BEGIN and COMMIT are prepared once per connection: a lookup is a transaction of its own.
  void transaction(const char* begin, const std::function<void()>& work) {
    db_.cached(begin).run();
    try {
      work();
      db_.run_before_commit();
      db_.cached("COMMIT").run();
    } catch (...) {
      db_.drop_before_commit();
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

  // Another application's file is left exactly as it is: a usersctl database is either empty
  // (user_version 0, no schema: a new file) or has a user_version and usersctl's usergroups table.
  // One statement, so a creator committing meanwhile is seen whole or not at all. Returns the
  // user_version it read (every command opens with this: one statement, not two).
  int refuse_foreign_schema() {
    auto stmt = db_.prepare(
        "SELECT (SELECT user_version FROM pragma_user_version), count(*), "
        "coalesce(sum(type = 'table' AND name = 'usergroups'), 0) FROM sqlite_master");
    stmt.step();
    const bool empty = stmt.int64(0) == 0 && stmt.int64(1) == 0;
    if (empty || (stmt.int64(0) > 0 && stmt.int64(2) > 0)) return static_cast<int>(stmt.int64(0));
    throw Unavailable("'" + path_ + "' is not a usersctl database: it holds another application's tables",
                      "give usersctl a new file; the file was not changed");
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
    int version = refuse_foreign_schema();
    refuse_newer_schema(version);
    if (version == static_cast<int>(steps.size())) return;
    if (version == 0) enable_wal();
    write([&] {
      version = refuse_foreign_schema();  // another process may have migrated meanwhile
      refuse_newer_schema(version);
      for (auto i = static_cast<std::size_t>(version); i < steps.size(); ++i) db_.exec(steps[i]);
      db_.exec(("PRAGMA user_version = " + std::to_string(steps.size())).c_str());
    });
  }

  std::string path_;
  Connection db_;
  SqliteStore records_{db_};  // after db_: its statements are finalized before the connection closes
  SqliteOutbox outbox_{db_};
  BackendConsumers<Connection> consumers_{db_};
};

}  // namespace

std::unique_ptr<Database> open_sqlite_database(const std::string& path, CreateFolders folders,
                                               model::OpenMode mode) {
  if (path != ":memory:") {
    if (folders == CreateFolders::Yes && mode != model::OpenMode::MustExist)
      make_private_dir(parent_dir(path));
    refuse_unsafe_folder(path);
    if (mode == model::OpenMode::MustExist) {
      require_database_file(path);
    } else {
      prepare_database_file(path, folders);
    }
  }
  // Without SQLITE_OPEN_CREATE a file removed since the check above is an error, not a new file.
  return std::make_unique<SqliteDatabase>(path, mode);
}

int sqlite_schema_version() { return static_cast<int>(migrations().size()); }

}  // namespace usersctl::store::sqlite
