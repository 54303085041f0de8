#pragma once
// What `search` asks for: a case-insensitive substring over some of the user's text fields.

#include <cstdint>
#include <string>

namespace usersctl::model {

struct SearchFields {
  bool username = true;
  bool name = true;
  bool email = true;
  bool attrs = true;
};

struct SearchQuery {
  std::string text;  // case-folded (util::fold_case) before it reaches the store
  SearchFields fields;
  std::int64_t limit = 50;
};

}  // namespace usersctl::model
