#pragma once
// Where a method's replies go, and the one-record lookahead that lets a stream of records end
// with a reply that has no `continues`, without ever holding more than one record.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace usersctl::userdb {

// Receives framed messages (varlink_message.hpp). send() returns false once the peer is gone or
// the call was abandoned, which tells the producer to stop.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  virtual bool send(std::string message) = 0;
};

// Sends record i when record i+1 arrives (with `continues: true`); finish() sends the last one
// without it, or NoRecordFound when there was none. Without `more` only the first record counts.
class RecordStream {
 public:
  RecordStream(ReplySink& sink, bool more) : sink_(sink), more_(more) {}

  // Returns false when the producer should stop.
  bool add(nlohmann::json parameters);
  void finish();

 private:
  ReplySink& sink_;
  bool more_;
  bool stopped_ = false;
  std::optional<nlohmann::json> pending_;
};

}  // namespace usersctl::userdb
