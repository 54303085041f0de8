#include "core/list_cursor.hpp"

#include <vector>

#include "util/errors.hpp"
#include "util/text.hpp"

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
  // Every value a cursor can hold is UTF-8 text; a crafted one must not reach the server (where
  // PostgreSQL would refuse it, SQLite not).
  if (!util::is_valid_utf8(out)) throw UsageError("--after: malformed cursor");
  return out;
}

std::string sort_value(model::UserField field, const model::User& user) {
  switch (field) {
    case model::UserField::Username:
      return user.username;
    case model::UserField::Uid:
      return std::to_string(user.uid);
    case model::UserField::Name:
      return user.name;
    case model::UserField::Email:
      return user.email.value_or("");
    case model::UserField::CreatedAt:
      return user.created_at;
    case model::UserField::UpdatedAt:
      return user.updated_at;
    default:
      throw InternalError(std::string("no sort value for '") + model::user_field_name(field) + "'");
  }
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
  return std::string(model::user_field_name(query.sort)) + "." + direction + "." +
         hex(sort_value(query.sort, last)) + "." + hex(last.username);
}

ListCursor decode_list_cursor(std::string_view cursor, std::string_view sort_field, model::SortOrder order) {
  const auto parts = split_dots(cursor);
  if (parts.size() != 4)
    throw UsageError("--after: malformed cursor", "pass the cursor a previous page printed");
  const char* direction = order == model::SortOrder::Descending ? "d" : "a";
  if (parts[0] != sort_field || parts[1] != direction) {
    throw UsageError("--after: the cursor was made for --sort " + std::string(parts[0]) +
                     (parts[1] == "d" ? ":desc" : "") + ", not this sort");
  }
  return {unhex(parts[2]), unhex(parts[3])};
}

}  // namespace usersctl::core
