#pragma once
// Thin RAII wrappers over libpq: a connection, results, text parameters, and SQLSTATEs turned
// into the project's typed errors. Everything travels in text format, as psql sends it.

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/value_list.hpp"
#include "util/errors.hpp"

namespace usersctl::store::postgres {

// A serialization failure or deadlock (40001, 40P01): the transaction is safe to run again.
struct RetryableTransaction : Unavailable {
  using Unavailable::Unavailable;
};

// The connection died under a statement (the server crashed or was stopped, a failover, the
// network): nothing more can be sent on it. PgDatabase reconnects and decides what is safe to redo.
struct LostConnection : Unavailable {
  using Unavailable::Unavailable;
};

// Parameters $1, $2, … in text format; nullopt is SQL NULL.
class Params : public ValueList<Params> {
 public:
  // A LIMIT: SQLite reads a negative one as "no limit", PostgreSQL wants NULL for that.
  Params& add_limit(std::optional<std::int64_t> limit);
  std::size_t size() const { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  friend ValueList<Params>;
  void put_integer(std::int64_t value) { values_.emplace_back(std::to_string(value)); }
  void put_text(std::string_view value) { values_.emplace_back(std::string(value)); }
  void put_null() { values_.emplace_back(std::nullopt); }
  std::vector<std::optional<std::string>> values_;
};

class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  bool is_null(int row, int column) const;
  std::string_view view(int row, int column) const;
  std::string text(int row, int column) const { return std::string(view(row, column)); }
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  // Rows an INSERT/UPDATE/DELETE touched.
  std::int64_t affected() const;

 private:
  PGresult* result_;
};

class Connection {
 public:
  // Connects with the URL exactly as given (sslmode and other parameters reach libpq as they are).
  // Throws Unavailable naming the URL with its password redacted.
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with parameters (extended protocol).
  Result exec(const std::string& sql, const Params& params = {});
  // Like exec(), but nullopt when the statement fails with `sqlstate` (outside a transaction:
  // inside one, the failure would abort it).
  std::optional<Result> exec_unless(const std::string& sql, std::string_view sqlstate);
  // Runs a query through a cursor, `batch` rows a round trip, calling `row` for each: memory stays
  // flat for any result size, and `row` may run other statements meanwhile. In a transaction only.
  void for_each_row(const std::string& sql, const Params& params,
                    const std::function<void(const Result&, int)>& row, int batch = 1000);
  // COPY … FROM STDIN (`sql`) with `rows` in COPY's text format (store/postgres/pg_copy.hpp):
  // the fastest way rows reach a table. Errors are thrown as exec() throws them.
  void copy_in(const std::string& sql, std::string_view rows);
  // One or more statements without parameters (simple protocol, one round trip); the result of
  // the last one. Statements exec_later() holds go first, in the same round trip.
  Result exec_script(const std::string& sql);
  // A statement whose result is never read, sent with the next one (its parameters as literals
  // when that is exec_script's, e.g. an event's INSERT with the COMMIT: a round trip fewer). Its
  // error is thrown by that next call, as exec() would have thrown it; a rollback or reconnect
  // drops it with the transaction.
  void exec_later(const std::string& sql, const Params& params);
  // Ends a failed or open transaction, ignoring errors (the connection may be gone).
  void rollback_quietly();
  // Drops this connection and opens a new one with the same URL: with a multi-host URL libpq picks
  // whichever server now matches target_session_attrs (the promoted standby). Throws Unavailable.
  void reconnect();
  // Outside a transaction, after LISTEN: true once a notification arrived (all pending ones are
  // consumed), false after `timeout`. A dropped connection counts as a wake-up (the caller's next
  // statement reports it).
  bool wait_for_notification(std::chrono::milliseconds timeout);
  // Counts the sessions this connection has opened (1 after the constructor, +1 a reconnect):
  // what a session set up (LISTEN) is gone once it changes.
  int session() const { return sessions_; }

  // What one transaction on this connection remembers, so as not to ask the server twice;
  // PgDatabase clears it at every BEGIN.
  struct TransactionMemo {
    // The id of the last event appended (PgOutbox notes it): after a drop during COMMIT it tells
    // whether the transaction committed, without a query for it before every COMMIT.
    std::string last_event;
    // Every stored setting, read at the first lookup (a command reads several), kept up to date
    // by set_setting. Other writers wait for the writer lock; a read sees one snapshot.
    std::optional<std::map<std::string, std::string, std::less<>>> settings;
    // The highest event sequence as the transaction began, until it appends events.
    std::optional<std::int64_t> last_sequence;
    // When the record longest in the recycle bin went there (inner none: the bin is empty), and
    // whether any hook exists, as the transaction began and as it binned records or added hooks
    // since: the housekeeping check and the hook list of a write ask no more round trips.
    std::optional<std::optional<std::string>> oldest_binned;
    std::optional<bool> any_hooks;
    // The id the next user row gets (highest plus one, under the writer lock), as the write began
    // and as insert_user took ids since: the INSERT needs no answer, so it can go with the COMMIT.
    // Unknown again after a bulk insert or a delete.
    std::optional<std::int64_t> next_user_id;
  };
  TransactionMemo& memo() { return memo_; }

  // The URL with its password redacted, for messages.
  const std::string& location() const { return location_; }

 private:
  PGresult* send(const std::string& sql, const Params& params);
  Result check(PGresult* result, std::string_view context);
  std::string scrub(std::string text) const;
  void send_deferred();

  void connect();

  PGconn* conn_ = nullptr;
  std::string url_;
  std::string location_;
  std::vector<std::string> secrets_;  // passwords that must never reach a message
  TransactionMemo memo_;
  std::string deferred_;  // exec_later()'s statements, as one script
  int cursors_ = 0;       // names cursors uniquely, as they may nest
  int sessions_ = 0;      // see session()
};

}  // namespace usersctl::store::postgres
