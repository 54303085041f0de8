#include "core/ldif_value.hpp"

#include "util/base64.hpp"

namespace usersctl::core {

namespace {
constexpr std::size_t kWidth = 76;
}  // namespace

bool ldif_safe_value(std::string_view value) {
  if (value.empty()) return true;
  const unsigned char first = static_cast<unsigned char>(value.front());
  if (first == ' ' || first == ':' || first == '<') return false;
  if (value.back() == ' ') return false;
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u == 0 || u == '\n' || u == '\r' || u >= 0x80) return false;
  }
  return true;
}

std::string ldif_fold(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / kWidth * 2 + 1);
  std::size_t width = kWidth;  // the first line has 76 bytes; a continuation has ' ' + 75
  while (line.size() > width) {
    std::size_t cut = width;
    // Base64 and safe values are ASCII; back off to a UTF-8 lead byte for anything else.
    while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\n ";
    line.remove_prefix(cut);
    width = kWidth - 1;
  }
  out.append(line);
  out += '\n';
  return out;
}

std::string ldif_attribute(std::string_view name, std::string_view value) {
  std::string line(name);
  if (ldif_safe_value(value)) {
    line += value.empty() ? ":" : ": ";
    line += value;
  } else {
    line += ":: ";
    line += util::base64_encode(value);
  }
  return ldif_fold(line);
}

}  // namespace usersctl::core
