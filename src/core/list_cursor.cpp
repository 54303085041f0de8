#include "core/list_cursor.hpp"

#include <vector>

#include "core/user_fields.hpp"
#include "model/errors.hpp"

namespace usersctl::core {

namespace {

std::string hex(std::string_view text) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += digits[byte >> 4];
    out += digits[byte & 0x0F];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string unhex(std::string_view text) {
  if (text.size() % 2 != 0) throw UsageError("--after: malformed cursor");
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) throw UsageError("--after: malformed cursor");
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

std::string sort_value(const std::string& field, const model::User& user) {
  if (field == "username") return user.username;
  if (field == "uid") return std::to_string(user.uid);
  if (field == "name") return user.name;
  if (field == "email") return user.email.value_or("");
  if (field == "created_at") return user.created_at;
  if (field == "updated_at") return user.updated_at;
  throw InternalError("no sort value for '" + field + "'");
}

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = text.find('.', start);
    parts.push_back(text.substr(start, dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

}  // namespace

std::string encode_list_cursor(const model::UserQuery& query, const model::User& last) {
  const char* direction = query.order == model::SortOrder::Descending ? "d" : "a";
  return query.sort_field + "." + direction + "." + hex(sort_value(query.sort_field, last)) + "." +
         hex(last.username);
}

void apply_list_cursor(model::UserQuery& query, std::string_view cursor) {
  const auto parts = split_dots(cursor);
  if (parts.size() != 4)
    throw UsageError("--after: malformed cursor", "pass the cursor a previous page printed");
  const char* direction = query.order == model::SortOrder::Descending ? "d" : "a";
  if (parts[0] != query.sort_field || parts[1] != direction) {
    throw UsageError("--after: the cursor was made for --sort " + std::string(parts[0]) +
                     (parts[1] == "d" ? ":desc" : "") + ", not this sort");
  }
  model::KeysetPosition position{unhex(parts[2]), unhex(parts[3])};
  if (query.sort_field == "uid") parse_id(position.sort_value, "cursor uid");
  query.after = std::move(position);
}

}  // namespace usersctl::core
