#include "store/postgres/pg_database.hpp"

#include <chrono>
#include <optional>
#include <thread>

#include "store/backend_consumers.hpp"
#include "store/busy_timeout.hpp"
#include "store/lifecycle_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_migrations.hpp"
#include "store/postgres/pg_outbox.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/pg_timeouts.hpp"
#include "util/errors.hpp"

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

// One PostgreSQL database: the connection, its transactions and migrations, and the records and
// outbox on it.
class PgDatabase final : public Database {
 public:
  // A database already at this schema costs one round trip here: another application's schema
  // can only be there when usersctl_schema is not.
  PgDatabase(const std::string& url, model::OpenMode mode) : db_(url) {
    const int version = schema_version();
    if (version == 0) {
      refuse_foreign_schema();
      if (mode == model::OpenMode::MustExist) {
        throw Unavailable("no database at " + db_.location() + ": it has no usersctl schema",
                          "create it with any change, e.g. usersctl add");
      }
    }
    migrate(version);
    migrated_ = true;
  }

  // A write whose connection drops is run again on a new connection (within the busy timeout)
  // only when it surely did not commit: the drop came before COMMIT was sent, or the server
  // (after a failover, the promoted standby) says its transaction id did not commit. Otherwise
  // the outcome is unknown and the command exits 6 saying so: never a change made twice.
  void write(const std::function<void()>& work) override {
    const std::string begin =
        "BEGIN; " + lock_timeout_sql() + "; SELECT pg_advisory_xact_lock(" + kWriterLock + ")";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms());
    for (int attempt = 1;; ++attempt) {
      WriteAttempt state;
      try {
        write_transaction(begin, work, state);
        return;
      } catch (const RetryableTransaction& retry) {
        if (attempt >= kMaxAttempts) {
          throw Unavailable(std::string("database is busy: ") + retry.what(), "try again");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
      } catch (const LostConnection& lost) {
        if (std::chrono::steady_clock::now() >= deadline && !state.committing) throw;
        try {
          reconnect_until(deadline, lost);
        } catch (const Unavailable&) {
          // COMMIT was sent and no server answers to tell whether it took: unknown, not "failed".
          if (state.committing)
            throw unknown_outcome("no server took the connection again within the busy timeout");
          throw;
        }
        if (state.committing && commit_outcome(state, deadline) == Outcome::Committed) return;
      }
    }
  }

  void read(const std::function<void()>& work) override {
    const std::string begin = "BEGIN ISOLATION LEVEL REPEATABLE READ; " + lock_timeout_sql();
    try {
      transaction(begin, work);
    } catch (const LostConnection& lost) {
      // A read changes nothing: run it again on a new connection (the standby may have moved).
      reconnect_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms()), lost);
      transaction(begin, work);
    }
  }

  model::DatabaseInfo info() override {
    return {"postgresql", db_.location(), schema_version(), static_cast<int>(migrations().size())};
  }
  Store& records() override { return records_; }
  Outbox& outbox() override { return outbox_; }
  Consumers& consumers() override { return consumers_; }

 private:
  struct WriteAttempt {
    std::int64_t txid = 0;
    std::optional<std::string> event_id;  // the last event this transaction appended
    bool committing = false;              // COMMIT was sent: the outcome is the server's to tell
  };
  enum class Outcome { Committed, NotCommitted };

  void write_transaction(const std::string& begin, const std::function<void()>& work, WriteAttempt& state) {
    try {
      if (migrated_) {
        // The lock, the transaction's id, the last event, the oldest record in the bin, whether
        // there are hooks, the next user id, and the settings in one round trip: a row a setting (or one of
        // NULLs), each with the rest.
        db_.memo() = {};
        const Result r = db_.exec_script(
            begin + "; SELECT txid_current(), (SELECT coalesce(max(sequence), 0) FROM events), (" +
            lifecycle_sql::kOldestBinned +
            "), EXISTS (SELECT 1 FROM hooks), (SELECT coalesce(max(id), 0) + 1 FROM users), s.key, s.value "
            "FROM (SELECT 1) one LEFT JOIN settings s ON true");
        state.txid = r.int64(0, 0);
        db_.memo().last_sequence = r.int64(0, 1);
        db_.memo().oldest_binned = r.optional_text(0, 2);
        db_.memo().any_hooks = r.text(0, 3) == "t";
        db_.memo().next_user_id = r.int64(0, 4);
        remember_settings(r, 5);
      } else {
        db_.memo() = {};
        db_.exec_script(begin);
      }
      work();
      const bool appended = !db_.memo().last_event.empty();
      if (migrated_ && appended) state.event_id = db_.memo().last_event;
      state.committing = migrated_;
      // Followers (events tail|consume --follow) LISTEN for this; delivered at commit, once.
      db_.exec_script(appended ? "NOTIFY usersctl_events; COMMIT" : "COMMIT");
    } catch (...) {
      db_.rollback_quietly();
      throw;
    }
  }

  void reconnect_until(std::chrono::steady_clock::time_point deadline, const LostConnection& lost) {
    while (true) {
      try {
        db_.reconnect();
        return;
      } catch (const Unavailable& why) {
        if (std::chrono::steady_clock::now() >= deadline) {
          throw Unavailable(std::string(lost.what()) +
                            "; no server took the connection again within the busy "
                            "timeout: " +
                            why.what());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }

  // After a drop during COMMIT, on the new connection: while txid_status says 'in progress' (only
  // the network dropped; the old session may still finish) wait; then the event row the
  // transaction appended (a random uuid) decides, as a promoted standby may hand out the same
  // transaction id again. Without an event, txid_status: in the future (22023) or 'aborted' means
  // it never committed here.
  Outcome commit_outcome(const WriteAttempt& state, std::chrono::steady_clock::time_point deadline) {
    const std::string sql = "SELECT txid_status(" + std::to_string(state.txid) + ")";
    while (true) {
      const auto r = db_.exec_unless(sql, "22023");
      const auto status = r ? r->optional_text(0, 0) : std::optional<std::string>("future");
      if (status == "in progress" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      if (status == "in progress" || !status) break;
      if (state.event_id) {
        const bool found =
            db_.exec("SELECT 1 FROM events WHERE id = $1", Params().add(*state.event_id)).rows() > 0;
        return found ? Outcome::Committed : Outcome::NotCommitted;
      }
      if (status == "committed") return Outcome::Committed;
      return Outcome::NotCommitted;
    }
    throw unknown_outcome("the server could not tell within the busy timeout");
  }

  // The connection dropped after COMMIT was sent and nothing could tell whether it took.
  Unavailable unknown_outcome(const std::string& why) const {
    return Unavailable("lost the connection to database '" + db_.location() +
                           "' while committing; whether the change was made is unknown (" + why + ")",
                       "see what was recorded with 'usersctl events list --since SEQ' (SEQ: the last event "
                       "you know of) before trying again");
  }

  // The settings as the first statement of a transaction read them, into the memo.
  void remember_settings(const Result& r, int key_column) {
    auto& settings = db_.memo().settings.emplace();
    for (int i = 0; i < r.rows(); ++i) {
      if (!r.is_null(i, key_column)) settings.emplace(r.text(i, key_column), r.text(i, key_column + 1));
    }
  }

  void transaction(const std::string& begin, const std::function<void()>& work) {
    try {
      db_.memo() = {};
      if (migrated_) {
        remember_settings(db_.exec_script(begin + "; SELECT key, value FROM settings"), 0);
      } else {
        db_.exec_script(begin);
      }
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

  // Another application's schema is left exactly as it is: without usersctl_schema, the schema
  // usersctl would create its tables in (the first of search_path) must hold no relation.
  void refuse_foreign_schema() {
    const auto r = db_.exec(
        "SELECT to_regclass('usersctl_schema') IS NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S'))");
    if (r.text(0, 0) != "t") return;
    throw Unavailable("database '" + db_.location() + "' is not a usersctl database: its schema holds " +
                          "another application's tables",
                      "give usersctl a new database or schema; nothing was changed");
  }

  // A read never creates the schema (see the constructor): a database usersctl has not used is
  // as missing as an SQLite file that is not there.
  void migrate(int version) {
    const auto steps = migrations();
    refuse_newer_schema(version);
    if (version == static_cast<int>(steps.size())) return;
    write([&] {
      refuse_foreign_schema();  // under the writer lock: another process may have migrated meanwhile
      db_.exec_script(kSchemaTableSql);
      version = schema_version();  // another process may have migrated meanwhile
      refuse_newer_schema(version);
      for (auto i = static_cast<std::size_t>(version); i < steps.size(); ++i) db_.exec_script(steps[i]);
      after_migrations(db_, version);
      db_.exec("UPDATE usersctl_schema SET version = $1",
               Params().add(static_cast<std::int64_t>(steps.size())));
    });
  }

  Connection db_;
  bool migrated_ = false;  // the schema is there: writes note their txid and last event
  PgStore records_{db_};
  PgOutbox outbox_{db_};
  BackendConsumers<Connection> consumers_{db_};
};

}  // namespace

std::unique_ptr<Database> open_postgres_database(const std::string& url, model::OpenMode mode) {
  return std::make_unique<PgDatabase>(url, mode);
}

int postgres_schema_version() { return static_cast<int>(migrations().size()); }

}  // namespace usersctl::store::postgres
