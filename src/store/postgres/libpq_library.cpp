#include "store/postgres/libpq_library.hpp"

#include "util/shared_library.hpp"

namespace usersctl::store::postgres {

namespace {

void resolve(util::SharedLibrary& library, LibPq& pq) {
  library.resolve("PQconnectdbParams", pq.connectdb_params)
      .resolve("PQstatus", pq.status)
      .resolve("PQerrorMessage", pq.error_message)
      .resolve("PQfinish", pq.finish)
      .resolve("PQsetNoticeProcessor", pq.set_notice_processor)
      .resolve("PQexec", pq.exec)
      .resolve("PQexecParams", pq.exec_params)
      .resolve("PQresultStatus", pq.result_status)
      .resolve("PQresultErrorField", pq.result_error_field)
      .resolve("PQclear", pq.clear)
      .resolve("PQntuples", pq.ntuples)
      .resolve("PQgetvalue", pq.getvalue)
      .resolve("PQgetlength", pq.getlength)
      .resolve("PQgetisnull", pq.getisnull)
      .resolve("PQcmdTuples", pq.cmd_tuples)
      .resolve("PQtransactionStatus", pq.transaction_status)
      .resolve("PQputCopyData", pq.put_copy_data)
      .resolve("PQputCopyEnd", pq.put_copy_end)
      .resolve("PQgetResult", pq.get_result)
      .resolve("PQsocket", pq.socket)
      .resolve("PQconsumeInput", pq.consume_input)
      .resolve("PQnotifies", pq.notifies)
      .resolve("PQfreemem", pq.freemem)
      .resolve("PQescapeLiteral", pq.escape_literal);
}

}  // namespace

// Loaded once, on first use (a function-local static is initialised once, thread-safely).
const LibPq& libpq() {
  static const LibPq pq = util::load_functions<LibPq>("libpq.so.5", resolve);
  return pq;
}

}  // namespace usersctl::store::postgres
