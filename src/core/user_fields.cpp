#include "core/user_fields.hpp"

#include <array>
#include <charconv>

#include "core/list_cursor.hpp"
#include "core/validation.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

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

constexpr std::array<model::UserField, 9> kAllFields = {
    model::UserField::Username,  model::UserField::Uid,       model::UserField::Name,
    model::UserField::Email,     model::UserField::CreatedAt, model::UserField::UpdatedAt,
    model::UserField::CreatedBy, model::UserField::UpdatedBy, model::UserField::Disabled};

model::UserField field_named(std::string_view name) {
  for (const auto field : kAllFields) {
    if (name == model::user_field_name(field)) return field;
  }
  throw InternalError("no field named '" + std::string(name) + "'");
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
  if (query.limit && *query.limit < 0) throw UsageError("--limit must not be negative");
  if (query.offset < 0) throw UsageError("--offset must not be negative");
}

namespace {

// The filter as typed; throws Invalid for a value the field cannot hold.
model::FieldMatch parse_filter_value(std::string_view field, std::string_view value) {
  check_filter_field(field);
  if (auto key = attr_key_of(field)) return {std::nullopt, *key, std::string(value)};
  const model::UserField column = field_named(field);
  switch (column) {
    case model::UserField::Uid:
      return {column, {}, parse_id(value, "uid")};
    case model::UserField::Disabled:
      return {column, {}, std::int64_t{parse_bool(value, "disabled")}};
    case model::UserField::Email:
      return {column, {}, util::fold_case(value)};  // emails match case-insensitively
    default:
      return {column, {}, std::string(value)};
  }
}

}  // namespace

model::FieldMatch parse_filter(std::string_view field, std::string_view value) {
  // One rule for every bad filter: an unknown field, a bad attribute key or a value the field
  // cannot hold is a usage error (exit 2), as a malformed --where is.
  try {
    return parse_filter_value(field, value);
  } catch (const Invalid& bad) {
    throw UsageError("--where '" + std::string(field) + "=" + std::string(value) + "': " + bad.what(),
                     bad.hint());
  }
}

model::UserField parse_sort_field(std::string_view field) {
  check_sort_field(field);
  return field_named(field);
}

model::UserQuery parse_list_request(const ListRequest& request) {
  model::UserQuery query;
  query.group = request.group;
  query.enabled = request.enabled;
  query.order = request.order;
  query.limit = request.limit;
  query.offset = request.offset;
  // The cursor first, as it names the sort it was made for.
  std::optional<ListCursor> cursor;
  if (!request.after.empty()) cursor = decode_list_cursor(request.after, request.sort, request.order);
  for (const auto& [field, value] : request.where) query.where.push_back(parse_filter(field, value));
  query.sort = parse_sort_field(request.sort);
  if (cursor) {
    model::FieldValue sort_value = cursor->sort_value;
    if (query.sort == model::UserField::Uid) sort_value = parse_id(cursor->sort_value, "cursor uid");
    query.after = model::KeysetPosition{std::move(sort_value), cursor->username};
  }
  check_user_query(query);
  return query;
}

std::int64_t parse_id(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kMaxId) {
    throw Invalid(std::string(what) + " '" + std::string(text) + "': expected a number in [0, " +
                  std::to_string(kMaxId) + "]");
  }
  return value;
}

bool parse_bool(std::string_view text, std::string_view what) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  throw Invalid(std::string(what) + " '" + std::string(text) + "': expected true or false");
}

}  // namespace usersctl::core
