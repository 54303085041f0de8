#pragma once
// Keyset paging for `list --after CURSOR`: the cursor names the sort and the last row's
// sort key and username, so the next page starts exactly after it, with no duplicates or
// gaps even while rows are added or removed.

#include <string>
#include <string_view>

#include "model/user.hpp"
#include "model/user_query.hpp"

namespace usersctl::core {

// The cursor that continues `query` after `last`.
std::string encode_list_cursor(const model::UserQuery& query, const model::User& last);
// Fills query.after from `cursor`; UsageError when it is malformed or made for another sort.
void apply_list_cursor(model::UserQuery& query, std::string_view cursor);

}  // namespace usersctl::core
