#pragma once
// What `list` asks the store for: filters, order and a page.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace usersctl::model {

enum class SortOrder { Ascending, Descending };
enum class EnabledFilter { Any, EnabledOnly, DisabledOnly };

struct FieldMatch {
  std::string field;  // a record field, or "attrs.KEY"
  std::string value;
};

// Where a page starts: after the row with this sort key (text, or a number for uid) and username.
struct KeysetPosition {
  std::string sort_value;
  std::string username;
};

struct UserQuery {
  std::vector<FieldMatch> where;
  std::optional<std::string> group;
  EnabledFilter enabled = EnabledFilter::Any;
  std::string sort_field = "username";
  SortOrder order = SortOrder::Ascending;
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
  std::optional<KeysetPosition> after;
};

}  // namespace usersctl::model
