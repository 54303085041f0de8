#include "store/postgres/pg_connection.hpp"

#include <poll.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <utility>

#include "store/busy_timeout.hpp"
#include "store/postgres/libpq_library.hpp"
#include "store/postgres/pg_timeouts.hpp"
#include "util/url_redaction.hpp"

namespace usersctl::store::postgres {

namespace {

// libpq's messages span lines ("…failed: …\n\tIs the server running…"); ours are one line.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void ignore_notice(void*, const char*) {}  // NOTICEs ("extension exists, skipping") are not ours to print

bool has_class(std::string_view sqlstate, std::string_view cls) { return sqlstate.substr(0, 2) == cls; }

// postgresql://h1:5432,h2:5433/db or ...?host=h1,h2: libpq's multi-host forms.
bool lists_several_hosts(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const auto rest = url.substr(scheme_end + 3);
  const auto authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find(',') != std::string_view::npos) return true;
  const auto query = rest.find('?');
  if (query == std::string_view::npos) return false;
  const auto host = rest.find("host=", query);
  return host != std::string_view::npos &&
         rest.substr(host, rest.find('&', host) - host).find(',') != std::string_view::npos;
}

// `sql` with $1, $2, … (outside quoted text) replaced by `literal(value)`; nullopt when a value
// cannot be quoted.
std::optional<std::string> inline_params(
    std::string_view sql, const Params& params,
    const std::function<std::optional<std::string>(const std::optional<std::string>&)>& literal) {
  std::string out;
  char quote = 0;  // inside '…' or "…"
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    std::size_t end = i + 1;
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$') {
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
    }
    if (end == i + 1) {
      out += c;
      continue;
    }
    std::size_t number = 0;
    std::from_chars(sql.data() + i + 1, sql.data() + end, number);
    if (number == 0 || number > params.size()) return std::nullopt;
    const auto text = literal(params.values()[number - 1]);
    if (!text) return std::nullopt;
    out += *text;
    i = end - 1;
  }
  return out;
}

}  // namespace

// ---- Params ----

Params& Params::add_limit(std::optional<std::int64_t> limit) {
  return limit && *limit >= 0 ? add(*limit) : add_null();
}

// ---- Result ----

Result::~Result() {
  if (result_ != nullptr) libpq().clear(result_);
}

int Result::rows() const { return libpq().ntuples(result_); }

bool Result::is_null(int row, int column) const { return libpq().getisnull(result_, row, column) != 0; }

std::string_view Result::view(int row, int column) const {
  return {libpq().getvalue(result_, row, column),
          static_cast<std::size_t>(libpq().getlength(result_, row, column))};
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t Result::int64(int row, int column) const {
  const std::string_view text = view(row, column);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw InternalError("database: expected an integer, got '" + std::string(text) + "'");
  }
  return value;
}

std::optional<std::int64_t> Result::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::int64_t Result::affected() const {
  const char* text = libpq().cmd_tuples(result_);
  return text && *text ? std::strtoll(text, nullptr, 10) : 0;
}

// ---- Connection ----

Connection::Connection(const std::string& url)
    : url_(url), location_(util::redact_url(url)), secrets_(util::url_secrets(url)) {
  if (const char* password = std::getenv("PGPASSWORD"); password != nullptr && *password != '\0') {
    secrets_.emplace_back(password);
  }
  // A URL naming several hosts is a primary with standbys: while a failover is under way none of
  // them takes writes, so keep trying for the busy timeout before giving up.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms());
  const bool several_hosts = lists_several_hosts(url);
  while (true) {
    try {
      connect();
      return;
    } catch (const Unavailable&) {
      if (!several_hosts || !libpq().loaded || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

bool Connection::wait_for_notification(std::chrono::milliseconds timeout) {
  const LibPq& pq = libpq();
  const auto drain = [&] {
    bool any = false;
    while (PGnotify* note = pq.notifies(conn_)) {
      pq.freemem(note);
      any = true;
    }
    return any;
  };
  if (pq.consume_input(conn_) == 0 || drain()) return true;
  pollfd fd{pq.socket(conn_), POLLIN, 0};
  if (fd.fd < 0) return true;
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return false;
  return pq.consume_input(conn_) == 0 || drain();
}

void Connection::reconnect() {
  deferred_.clear();
  if (conn_ != nullptr) libpq().finish(conn_);
  conn_ = nullptr;
  connect();
}

void Connection::connect() {
  const std::string& url = url_;
  const LibPq& pq = libpq();
  if (!pq.loaded) {
    throw Unavailable("cannot connect to database '" + location_ + "': " + pq.error,
                      "install libpq5 (the PostgreSQL client library)");
  }
  // Ours come first: anything the URL says wins (libpq keeps the last value of a keyword).
  const std::string connect_timeout = std::to_string(connect_timeout_seconds());
  const char* keywords[] = {"client_encoding", "connect_timeout", "fallback_application_name", "dbname",
                            nullptr};
  const char* values[] = {"UTF8", connect_timeout.c_str(), "usersctl", url.c_str(), nullptr};
  conn_ = pq.connectdb_params(keywords, values, 1);
  if (conn_ == nullptr || pq.status(conn_) != CONNECTION_OK) {
    const std::string why = conn_ ? scrub(one_line(pq.error_message(conn_))) : "out of memory";
    if (conn_ != nullptr) pq.finish(conn_);
    conn_ = nullptr;
    throw Unavailable("cannot connect to database '" + location_ + "': " + why);
  }
  pq.set_notice_processor(conn_, ignore_notice, nullptr);
  ++sessions_;
}

Connection::~Connection() {
  if (conn_ != nullptr) libpq().finish(conn_);
}

std::string Connection::scrub(std::string text) const {
  return util::scrub_secrets(std::move(text), secrets_);
}

PGresult* Connection::send(const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& value : params.values()) values.push_back(value ? value->c_str() : nullptr);
  return libpq().exec_params(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                             nullptr, nullptr, 0);
}

Result Connection::exec(const std::string& sql, const Params& params) {
  send_deferred();
  return check(send(sql, params), "database");
}

void Connection::exec_later(const std::string& sql, const Params& params) {
  const LibPq& pq = libpq();
  const auto statement = inline_params(sql, params, [&](const std::optional<std::string>& value) {
    if (!value) return std::optional<std::string>("NULL");
    char* quoted = pq.escape_literal(conn_, value->data(), value->size());
    if (quoted == nullptr) return std::optional<std::string>();  // e.g. not UTF-8: exec() says why
    std::optional<std::string> text(quoted);
    pq.freemem(quoted);
    return text;
  });
  if (!statement) {
    exec(sql, params);
    return;
  }
  deferred_ += *statement + ";\n";
}

// Statements held for a call that cannot carry them (parameters, COPY): their own round trip.
void Connection::send_deferred() {
  if (deferred_.empty()) return;
  const std::string script = std::exchange(deferred_, {});
  check(libpq().exec(conn_, script.c_str()), "database");
}

std::optional<Result> Connection::exec_unless(const std::string& sql, std::string_view sqlstate) {
  send_deferred();
  PGresult* raw = send(sql, {});
  const LibPq& pq = libpq();
  if (raw != nullptr && pq.result_status(raw) == PGRES_FATAL_ERROR) {
    const char* state = pq.result_error_field(raw, PG_DIAG_SQLSTATE);
    if (state != nullptr && sqlstate == state) {
      pq.clear(raw);
      return std::nullopt;
    }
  }
  return check(raw, "database");
}

void Connection::for_each_row(const std::string& sql, const Params& params,
                              const std::function<void(const Result&, int)>& row, int batch) {
  const std::string name = "usersctl_cursor_" + std::to_string(++cursors_);
  exec("DECLARE " + name + " NO SCROLL CURSOR FOR " + sql, params);
  const std::string fetch = "FETCH FORWARD " + std::to_string(batch) + " FROM " + name;
  while (true) {
    const Result result = exec(fetch);
    for (int i = 0; i < result.rows(); ++i) row(result, i);
    if (result.rows() < batch) break;
  }
  exec("CLOSE " + name);
}

void Connection::copy_in(const std::string& sql, std::string_view rows) {
  send_deferred();
  const LibPq& pq = libpq();
  PGresult* start = pq.exec(conn_, sql.c_str());
  if (start == nullptr || pq.result_status(start) != PGRES_COPY_IN) {
    check(start, "database");  // throws the server's reason
    throw InternalError("database: the server did not start the COPY");
  }
  pq.clear(start);
  // In pieces well below libpq's int length; a failed send leaves the reason on the connection.
  constexpr std::size_t kPiece = 1 << 20;
  bool sent = true;
  for (std::size_t at = 0; sent && at < rows.size(); at += kPiece) {
    const std::size_t size = std::min(kPiece, rows.size() - at);
    sent = pq.put_copy_data(conn_, rows.data() + at, static_cast<int>(size)) == 1;
  }
  if (sent) pq.put_copy_end(conn_, nullptr);
  // The COPY's own result, then the null that ends it; the first is the one reported.
  PGresult* outcome = nullptr;
  while (PGresult* raw = pq.get_result(conn_)) {
    if (outcome == nullptr) {
      outcome = raw;
    } else {
      pq.clear(raw);
    }
  }
  if (outcome == nullptr)
    throw LostConnection("lost the connection to database '" + location_ + "' during COPY");
  check(outcome, "database");
}

Result Connection::exec_script(const std::string& sql) {
  // If a held statement fails, the server runs none after it and that failure is the result.
  const std::string script = std::exchange(deferred_, {}) + sql;
  return check(libpq().exec(conn_, script.c_str()), "database");
}

void Connection::rollback_quietly() {
  deferred_.clear();
  if (conn_ == nullptr || libpq().transaction_status(conn_) == PQTRANS_IDLE) return;
  if (PGresult* result = libpq().exec(conn_, "ROLLBACK")) libpq().clear(result);
}

Result Connection::check(PGresult* raw, std::string_view context) {
  const LibPq& pq = libpq();
  Result result(raw);
  const ExecStatusType status = raw ? pq.result_status(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;

  const char* state = raw ? pq.result_error_field(raw, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state ? state : "";
  const char* primary = raw ? pq.result_error_field(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string why = scrub(one_line(primary ? primary : pq.error_message(conn_)));
  const std::string message = std::string(context) + ": " + why;

  // Every way a connection goes (exit 6, never 1): libpq saw it close; the server said so (class 08,
  // 57P01 terminated by an administrator, 57P02 crash of another backend, 57P03 not accepting); or
  // libpq's own error without a SQLSTATE (a send that failed with EPIPE, an EOF), where the server
  // never answered at all.
  if (pq.status(conn_) != CONNECTION_OK || has_class(sqlstate, "08") || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03" || (sqlstate.empty() && status == PGRES_FATAL_ERROR)) {
    throw LostConnection("lost the connection to database '" + location_ + "': " + why);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") throw RetryableTransaction(message);
  // lock_timeout (55P03) or statement_timeout (57014): waited past the busy timeout.
  if (sqlstate == "55P03" || sqlstate == "57014") {
    throw Unavailable("database is locked: another usersctl is writing and the wait timed out",
                      "try again; if it persists, look for a stuck session holding the lock (pg_locks)");
  }
  if (has_class(sqlstate, "23")) throw Conflict(message);
  // Connection trouble, resources, shutdown, a missing database, authentication, privileges.
  if (has_class(sqlstate, "08") || has_class(sqlstate, "53") || has_class(sqlstate, "57") ||
      has_class(sqlstate, "3D") || has_class(sqlstate, "28") || sqlstate == "42501" || sqlstate == "25006") {
    throw Unavailable("database '" + location_ + "': " + why);
  }
  throw InternalError(message + (sqlstate.empty() ? "" : " (SQLSTATE " + std::string(sqlstate) + ")"));
}

}  // namespace usersctl::store::postgres
