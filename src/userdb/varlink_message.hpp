#pragma once
// Varlink framing: every message is one JSON object followed by a NUL byte. Calls carry
// `method`, `parameters`, `more` and `oneway`; replies carry `parameters`, `continues` or `error`.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace usersctl::userdb {

// No userdb call needs more than a few hundred bytes; the bound keeps a hostile peer from making
// the service buffer without limit.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;

// The peer broke the protocol (not JSON, no method, too long): the connection is closed without
// an answer, as the Varlink specification asks.
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Request {
  std::string method;
  nlohmann::json parameters = nlohmann::json::object();
  bool more = false;    // the caller accepts several replies (`continues`)
  bool oneway = false;  // the caller wants no reply at all
};

// Parses one message (without its NUL). Throws ProtocolError.
Request parse_request(std::string_view text);

// Each returns the framed message, NUL included.
std::string format_reply(const nlohmann::json& parameters, bool continues = false);
std::string format_error(std::string_view error, const nlohmann::json& parameters = nlohmann::json::object());

// Splits a byte stream into messages. Holds at most kMaxMessageBytes of an unfinished message.
class MessageReader {
 public:
  explicit MessageReader(std::size_t max_bytes = kMaxMessageBytes) : max_bytes_(max_bytes) {}

  // Appends received bytes. Throws ProtocolError when a message outgrows the bound.
  void feed(std::string_view bytes);
  // The next complete message (without its NUL), if one has arrived.
  bool next(std::string& message);
  bool empty() const { return buffer_.size() == consumed_; }

 private:
  std::size_t max_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;
};

}  // namespace usersctl::userdb
