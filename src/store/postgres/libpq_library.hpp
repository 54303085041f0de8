#pragma once
// libpq, loaded when a PostgreSQL URL is opened (events/shared_library.hpp): linked outright
// it pulls in some twenty-five libraries (OpenSSL, Kerberos, LDAP, GnuTLS) and adds about 8 ms
// of dynamic loading to every invocation, SQLite ones included.

#include <libpq-fe.h>

#include <string>

namespace usersctl::store::postgres {

struct LibPq {
  PGconn* (*connectdb_params)(const char* const* keywords, const char* const* values,
                              int expand_dbname) = nullptr;
  ConnStatusType (*status)(const PGconn* conn) = nullptr;
  char* (*error_message)(const PGconn* conn) = nullptr;
  void (*finish)(PGconn* conn) = nullptr;
  PQnoticeProcessor (*set_notice_processor)(PGconn* conn, PQnoticeProcessor proc, void* arg) = nullptr;
  PGresult* (*exec)(PGconn* conn, const char* query) = nullptr;
  PGresult* (*exec_params)(PGconn* conn, const char* command, int n_params, const Oid* param_types,
                           const char* const* param_values, const int* param_lengths,
                           const int* param_formats, int result_format) = nullptr;
  ExecStatusType (*result_status)(const PGresult* res) = nullptr;
  char* (*result_error_field)(const PGresult* res, int field) = nullptr;
  void (*clear)(PGresult* res) = nullptr;
  int (*ntuples)(const PGresult* res) = nullptr;
  char* (*getvalue)(const PGresult* res, int row, int column) = nullptr;
  int (*getlength)(const PGresult* res, int row, int column) = nullptr;
  int (*getisnull)(const PGresult* res, int row, int column) = nullptr;
  char* (*cmd_tuples)(PGresult* res) = nullptr;
  PGTransactionStatusType (*transaction_status)(const PGconn* conn) = nullptr;
  // COPY … FROM STDIN (bulk import): the rows, the end, then the statement's result.
  int (*put_copy_data)(PGconn* conn, const char* buffer, int nbytes) = nullptr;
  int (*put_copy_end)(PGconn* conn, const char* errormsg) = nullptr;
  PGresult* (*get_result)(PGconn* conn) = nullptr;
  // LISTEN/NOTIFY (events tail --follow, events consume --follow).
  int (*socket)(const PGconn* conn) = nullptr;
  int (*consume_input)(PGconn* conn) = nullptr;
  PGnotify* (*notifies)(PGconn* conn) = nullptr;
  void (*freemem)(void* ptr) = nullptr;
  // A value as a quoted SQL literal (freed with freemem), for statements sent with a script.
  char* (*escape_literal)(PGconn* conn, const char* str, size_t length) = nullptr;

  bool loaded = false;
  std::string error;  // why loading failed
};

// Opens libpq.so.5 once per process; thread-safe. Check `loaded`.
const LibPq& libpq();

}  // namespace usersctl::store::postgres
