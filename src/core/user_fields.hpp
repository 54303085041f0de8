#pragma once
// The user fields scripts may filter and sort by, and the parsing of `list`'s text options into
// a typed model::UserQuery: done once here, so neither backend parses values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/user_query.hpp"

namespace usersctl::core {

// `list`'s options as the command line gave them.
struct ListRequest {
  std::vector<std::pair<std::string, std::string>> where;  // FIELD=VALUE, ANDed
  std::optional<std::string> group;
  model::EnabledFilter enabled = model::EnabledFilter::Any;
  std::string sort = "username";
  model::SortOrder order = model::SortOrder::Ascending;
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
  std::string after;  // a cursor a previous page printed; empty: from the start
};

// The typed, checked query: UsageError for unknown fields or a cursor made for another sort,
// Invalid for values of the wrong type (a uid that is no number).
model::UserQuery parse_list_request(const ListRequest& request);
// One --where item: a record field or attrs.KEY, with its value typed.
model::FieldMatch parse_filter(std::string_view field, std::string_view value);
// A --sort field name.
model::UserField parse_sort_field(std::string_view field);

// "attrs.KEY" → KEY; any other field → nullopt.
std::optional<std::string> attr_key_of(std::string_view field);
// Throws UsageError unless `field` may be used in --where (record fields and attrs.KEY).
void check_filter_field(std::string_view field);
// Throws UsageError unless `field` may be used in --sort.
void check_sort_field(std::string_view field);
// Checks what parsing cannot: the page bounds.
void check_user_query(const model::UserQuery& query);

// Decimal id in [0, kMaxId] (4294967294); throws Invalid naming `what`.
std::int64_t parse_id(std::string_view text, std::string_view what);
// true/false/1/0/yes/no; throws Invalid naming `what`.
bool parse_bool(std::string_view text, std::string_view what);

}  // namespace usersctl::core
