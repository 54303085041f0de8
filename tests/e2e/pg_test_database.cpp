#include "pg_test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <stdexcept>

namespace usersctl::e2e {

std::string with_database(const std::string& url, const std::string& database) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw std::runtime_error("not a URL: " + url);
  const auto path_start = url.find_first_of("/?#", scheme_end + 3);
  if (path_start == std::string::npos) return url + "/" + database;
  const auto path_end = url[path_start] == '/' ? url.find_first_of("?#", path_start) : path_start;
  return url.substr(0, path_start) + "/" + database +
         (path_end == std::string::npos ? "" : url.substr(path_end));
}

PgSession::PgSession(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw std::runtime_error("cannot connect to " + url + ": " + why);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgSession::~PgSession() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string PgSession::exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const std::string why = PQresultErrorMessage(result);
    PQclear(result);
    throw std::runtime_error(sql + ": " + why);
  }
  std::string value;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0 && PQnfields(result) > 0)
    value = PQgetvalue(result, 0, 0);
  PQclear(result);
  return value;
}

ScratchDatabase::ScratchDatabase(const std::string& admin_url) : admin_url_(admin_url) {
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = "usersctl_e2e_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
          std::to_string(random() % 1000000);
  PgSession(admin_url_).exec("CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    PgSession(admin_url_).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is thrown away at the end of the run anyway.
  }
}

}  // namespace usersctl::e2e
