#include "userdb/reply_stream.hpp"

#include "userdb/userdb_errors.hpp"
#include "userdb/varlink_message.hpp"

namespace usersctl::userdb {

bool RecordStream::add(nlohmann::json parameters) {
  if (stopped_) return false;
  if (pending_) {
    if (!more_) return false;  // a single-reply call: the first record is the answer
    if (!sink_.send(format_reply(*pending_, true))) {
      stopped_ = true;
      return false;
    }
  }
  pending_ = std::move(parameters);
  return true;
}

void RecordStream::finish() {
  if (stopped_) return;
  stopped_ = true;
  if (pending_) {
    sink_.send(format_reply(*pending_));
  } else {
    sink_.send(format_error(errors::kNoRecordFound));
  }
}

}  // namespace usersctl::userdb
