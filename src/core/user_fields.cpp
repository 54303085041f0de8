#include "core/user_fields.hpp"

#include <array>
#include <charconv>

#include "core/validation.hpp"
#include "model/errors.hpp"

namespace usersctl::core {

namespace {

constexpr std::array<std::string_view, 7> kFilterFields = {"username",   "uid",        "name",    "email",
                                                           "created_by", "updated_by", "disabled"};
constexpr std::array<std::string_view, 6> kSortFields = {"username", "uid",        "name",
                                                         "email",    "created_at", "updated_at"};

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view field) {
  for (auto name : names) {
    if (name == field) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> attr_key_of(std::string_view field) {
  constexpr std::string_view prefix = "attrs.";
  if (field.substr(0, prefix.size()) != prefix) return std::nullopt;
  return std::string(field.substr(prefix.size()));
}

void check_filter_field(std::string_view field) {
  if (auto key = attr_key_of(field)) {
    validate_attr_key(*key);
    return;
  }
  if (!contains(kFilterFields, field)) {
    throw UsageError("--where: unknown field '" + std::string(field) + "'",
                     "fields: " + joined(kFilterFields) + ", attrs.KEY");
  }
}

void check_sort_field(std::string_view field) {
  if (!contains(kSortFields, field)) {
    throw UsageError("--sort: unknown field '" + std::string(field) + "'", "fields: " + joined(kSortFields));
  }
}

void check_user_query(const model::UserQuery& query) {
  for (const auto& match : query.where) {
    check_filter_field(match.field);
    if (match.field == "uid") parse_id(match.value, "uid");
    if (match.field == "disabled") parse_bool(match.value, "disabled");
  }
  check_sort_field(query.sort_field);
  if (query.limit && *query.limit < 0) throw UsageError("--limit must not be negative");
  if (query.offset < 0) throw UsageError("--offset must not be negative");
}

std::int64_t parse_id(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kMaxId) {
    throw Invalid(std::string(what) + " '" + std::string(text) + "': expected a number in [0, " + std::to_string(kMaxId) + "]");
  }
  return value;
}

bool parse_bool(std::string_view text, std::string_view what) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  throw Invalid(std::string(what) + " '" + std::string(text) + "': expected true or false");
}

}  // namespace usersctl::core
