#include "userdb/varlink_message.hpp"

namespace usersctl::userdb {
namespace {

bool optional_flag(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw ProtocolError(std::string("'") + key + "' is not a boolean");
  return it->get<bool>();
}

// Record fields come from a database and may hold bytes that are not UTF-8: replacing them
// beats failing the whole reply (nlohmann's default throws).
std::string frame(const nlohmann::json& message) {
  std::string text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\0');
  return text;
}

}  // namespace

Request parse_request(std::string_view text) {
  if (text.size() > kMaxMessageBytes) throw ProtocolError("message too long");
  nlohmann::json message = nlohmann::json::parse(text, nullptr, false);
  if (message.is_discarded() || !message.is_object()) throw ProtocolError("message is not a JSON object");
  Request request;
  const auto method = message.find("method");
  if (method == message.end() || !method->is_string()) throw ProtocolError("call without a method");
  request.method = method->get<std::string>();
  const auto parameters = message.find("parameters");
  if (parameters != message.end() && !parameters->is_null()) {
    if (!parameters->is_object()) throw ProtocolError("'parameters' is not an object");
    request.parameters = std::move(*parameters);
  }
  request.more = optional_flag(message, "more");
  request.oneway = optional_flag(message, "oneway");
  if (request.more && request.oneway) throw ProtocolError("a call cannot be both 'more' and 'oneway'");
  return request;
}

std::string format_reply(const nlohmann::json& parameters, bool continues) {
  nlohmann::json message = {{"parameters", parameters}};
  if (continues) message["continues"] = true;
  return frame(message);
}

std::string format_error(std::string_view error, const nlohmann::json& parameters) {
  return frame({{"error", std::string(error)}, {"parameters", parameters}});
}

void MessageReader::feed(std::string_view bytes) {
  // Drop what has been handed out before growing, so the buffer holds one message at most.
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
  const auto end = buffer_.find('\0');
  const std::size_t pending = end == std::string::npos ? buffer_.size() : end;
  if (pending > max_bytes_) throw ProtocolError("message too long");
}

bool MessageReader::next(std::string& message) {
  const auto end = buffer_.find('\0', consumed_);
  if (end == std::string::npos) {
    if (buffer_.size() - consumed_ > max_bytes_) throw ProtocolError("message too long");
    return false;
  }
  if (end - consumed_ > max_bytes_) throw ProtocolError("message too long");
  message.assign(buffer_, consumed_, end - consumed_);
  consumed_ = end + 1;
  return true;
}

}  // namespace usersctl::userdb
