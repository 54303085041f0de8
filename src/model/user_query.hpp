#pragma once
// What `list` asks the store for, in typed values: filters, order and a page. Core parses the
// command line's text into these once (core/user_fields.hpp); the store only turns them into SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace usersctl::model {

enum class SortOrder { Ascending, Descending };
enum class EnabledFilter { Any, EnabledOnly, DisabledOnly };

// The record fields a query may filter or sort by.
enum class UserField { Username, Uid, Name, Email, CreatedAt, UpdatedAt, CreatedBy, UpdatedBy, Disabled };
// "username", "uid", … as the command line and the JSON record spell them.
const char* user_field_name(UserField field);

// A number (uid; disabled as 0/1) or text (email already case-folded).
using FieldValue = std::variant<std::int64_t, std::string>;

// field = value, or attrs[attr_key] = value when `field` is empty.
struct FieldMatch {
  std::optional<UserField> field;
  std::string attr_key;
  FieldValue value;
};

// Where a page starts: after the row with this sort key and username.
struct KeysetPosition {
  FieldValue sort_value;
  std::string username;
};

struct UserQuery {
  std::vector<FieldMatch> where;
  std::optional<std::string> group;
  EnabledFilter enabled = EnabledFilter::Any;
  UserField sort = UserField::Username;
  SortOrder order = SortOrder::Ascending;
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
  std::optional<KeysetPosition> after;
};

}  // namespace usersctl::model
