#include "core/validation.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "util/errors.hpp"
#include "util/id_range.hpp"
#include "util/text.hpp"

namespace usersctl::core {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

// Quotes a user-supplied value for an error message without letting control bytes
// reach the terminal.
std::string shown(std::string_view value) {
  std::string out = "'";
  for (char c : value.substr(0, 64)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    } else {
      out += c;
    }
  }
  if (value.size() > 64) out += "...";
  return out + "'";
}

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (static_cast<unsigned char>(c) >= 0x80) return true;  // internationalised mail (RFC 6531)
  return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return false;
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.') {
      if (local[i + 1] == '.') return false;
    } else if (!is_atext(local[i])) {
      return false;
    }
  }
  return true;
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || static_cast<unsigned char>(c) >= 0x80;
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

// Unicode general category Cf (format characters, Unicode 15): invisible, yet they make
// "a\u200b@example.com" or a name with a right-to-left override differ from the text it shows.
bool is_format_character(char32_t cp) {
  static constexpr std::pair<char32_t, char32_t> kRanges[] = {
      {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
      {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},   {0x200B, 0x200F},   {0x202A, 0x202E},
      {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
      {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
      {0xE0020, 0xE007F},
  };
  for (const auto& [low, high] : kRanges) {
    if (cp >= low && cp <= high) return true;
  }
  return false;
}

// "contains an invisible format character (U+200B)", or nothing. `text` is valid UTF-8 here.
std::optional<std::string> format_character_problem(std::string_view text) {
  // No format character is ASCII: only the other characters are decoded.
  for (std::size_t pos = util::ascii_run(text, 0); pos < text.size(); pos = util::ascii_run(text, pos)) {
    const auto cp = util::decode_utf8(text, pos);
    if (!cp) return std::nullopt;
    if (is_format_character(*cp)) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*cp));
      return std::string("contains an invisible format character (") + code + ")";
    }
  }
  return std::nullopt;
}

}  // namespace

void validate_name(std::string_view name, std::string_view what) {
  const std::string subject = std::string(what) + " " + shown(name);
  if (name.empty()) throw Invalid(std::string(what) + " is empty");
  if (name.size() > kMaxNameLength) {
    throw Invalid(subject + ": longer than " + std::to_string(kMaxNameLength) + " characters");
  }
  bool ok = is_name_start(name.front());
  for (std::size_t i = 1; ok && i < name.size(); ++i) {
    const bool last = i + 1 == name.size();
    ok = is_name_char(name[i]) || (last && name[i] == '$');
  }
  if (!ok) {
    throw Invalid(subject + ": must match ^[a-z_][a-z0-9_-]*[$]?$",
                  "use lower-case letters, digits, '_' and '-', starting with a letter or '_'");
  }
}

std::optional<std::string> empty_as_none(const std::optional<std::string>& value) {
  if (!value || value->empty()) return std::nullopt;
  return value;
}

void validate_email(std::string_view email) {
  if (auto problem = util::text_problem(email)) throw Invalid("email " + shown(email) + ": " + *problem);
  if (auto problem = format_character_problem(email))
    throw Invalid("email " + shown(email) + ": " + *problem);
  const std::size_t at = email.rfind('@');
  const bool ok = email.size() <= kMaxEmailLength && at != std::string_view::npos &&
                  valid_local_part(email.substr(0, at)) && valid_domain(email.substr(at + 1));
  if (!ok) throw Invalid("email " + shown(email) + ": not a valid address", "expected local@domain.tld");
}

void validate_display_name(std::string_view name) {
  if (auto problem = util::text_problem(name)) throw Invalid("name " + shown(name) + ": " + *problem);
  if (auto problem = format_character_problem(name)) throw Invalid("name " + shown(name) + ": " + *problem);
  if (name.find(':') != std::string_view::npos) {
    throw Invalid("name " + shown(name) + ": contains ':'", "':' would break the passwd format");
  }
  if (util::utf8_length(name) > kMaxDisplayNameLength) {
    throw Invalid("name: longer than " + std::to_string(kMaxDisplayNameLength) + " characters");
  }
}

void validate_description(std::string_view text) {
  if (auto problem = util::text_problem(text)) throw Invalid("description " + shown(text) + ": " + *problem);
  if (util::utf8_length(text) > kMaxDescriptionLength) {
    throw Invalid("description: longer than " + std::to_string(kMaxDescriptionLength) + " characters");
  }
}

void validate_attr_key(std::string_view key) {
  bool ok = !key.empty() && key.size() <= kMaxAttrKeyLength;
  for (char c : key) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-' || c == '.');
  }
  if (!ok) {
    throw Invalid("attribute key " + shown(key) + ": must be 1-64 of A-Z a-z 0-9 _ - .");
  }
}

void validate_attr_value(std::string_view key, std::string_view value) {
  if (value.size() > kMaxAttrValueBytes) {
    throw Invalid("attribute '" + std::string(key) + "': value larger than " +
                  std::to_string(kMaxAttrValueBytes) + " bytes");
  }
  if (auto problem = util::text_problem(value)) {
    throw Invalid("attribute '" + std::string(key) + "': value " + *problem);
  }
}

void validate_attrs(const model::Attributes& attrs) {
  if (attrs.size() > kMaxAttrsPerUser) {
    throw Invalid("too many attributes: " + std::to_string(attrs.size()) + " (at most " +
                  std::to_string(kMaxAttrsPerUser) + ")");
  }
  for (const auto& [key, value] : attrs) {
    validate_attr_key(key);
    validate_attr_value(key, value);
  }
}

void validate_id(std::int64_t id, std::string_view what) {
  if (id < 0 || id > kMaxId) {
    throw Invalid(std::string(what) + " " + std::to_string(id) + ": out of range [0, " +
                  std::to_string(kMaxId) + "]");
  }
  if (auto message = util::reserved_id_message(what, static_cast<std::uint64_t>(id))) throw Invalid(*message);
}

void validate_path(std::string_view path, std::string_view what) {
  const std::string quoted = std::string(what) + " " + shown(path);
  if (path.empty() || path.front() != '/') throw Invalid(quoted + ": must be an absolute path");
  if (path.size() > kMaxPathBytes) {
    throw Invalid(std::string(what) + ": longer than " + std::to_string(kMaxPathBytes) + " bytes");
  }
  if (path.find(':') != std::string_view::npos) {
    throw Invalid(quoted + ": contains ':'", "':' would break the passwd format");
  }
  if (auto problem = util::text_problem(path)) throw Invalid(quoted + ": " + *problem);
}

}  // namespace usersctl::core
