#include "util/quote.hpp"

namespace usersctl::util {

std::string quote_value(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  std::string quoted = "'";
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    // Non-ASCII bytes too: a cut can split a UTF-8 sequence, and the input may not be UTF-8 at all.
    quoted += (byte < 0x20 || byte >= 0x7F) ? '?' : c;
  }
  quoted += cut ? "...'" : "'";
  return quoted;
}

}  // namespace usersctl::util
