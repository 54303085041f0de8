#pragma once
// Keyset paging for `list --after CURSOR`: the cursor names the sort and the last row's
// sort key and username, so the next page starts exactly after it, with no duplicates or
// gaps even while rows are added or removed.

#include <string>
#include <string_view>

#include "model/user.hpp"
#include "model/user_query.hpp"

namespace usersctl::core {

// What a cursor holds: the last row's sort key (as text) and username.
struct ListCursor {
  std::string sort_value;
  std::string username;
};

// The cursor that continues `query` after `last`.
std::string encode_list_cursor(const model::UserQuery& query, const model::User& last);
// Reads `cursor` for a listing sorted by `sort_field` in `order`; UsageError when it is malformed
// or was made for another sort.
ListCursor decode_list_cursor(std::string_view cursor, std::string_view sort_field, model::SortOrder order);

}  // namespace usersctl::core
