#pragma once
// The user fields scripts may filter and sort by, and parsers for their typed values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/user_query.hpp"

namespace usersctl::core {

// "attrs.KEY" → KEY; any other field → nullopt.
std::optional<std::string> attr_key_of(std::string_view field);
// Throws UsageError unless `field` may be used in --where (record fields and attrs.KEY).
void check_filter_field(std::string_view field);
// Throws UsageError unless `field` may be used in --sort.
void check_sort_field(std::string_view field);
// Checks a whole query, including typed values (uid numbers, disabled booleans).
void check_user_query(const model::UserQuery& query);

// Decimal id in [0, kMaxId] (4294967294); throws Invalid naming `what`.
std::int64_t parse_id(std::string_view text, std::string_view what);
// true/false/1/0/yes/no; throws Invalid naming `what`.
bool parse_bool(std::string_view text, std::string_view what);

}  // namespace usersctl::core
