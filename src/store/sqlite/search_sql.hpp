#pragma once
// The SQL of `search`.

#include <sqlite3.h>

#include <string>

#include "model/search_query.hpp"

namespace usersctl::store::sqlite {

// Registers usersctl_search_match(…), the exact check for short queries, on a connection.
void register_search_functions(sqlite3* db);

// Search runs in tiers so that it can stop as soon as a page is full: exact username and
// username prefixes from the username index, then every other match in row order, from
// the trigram index (or, for one or two characters, a scan).
struct SearchSql {
  std::string username_prefix;  // ?1 folded text, ?2 limit; empty when usernames are not searched
  std::string others;           // ?1 others_param; yields user ids
  std::string others_param;
};

SearchSql build_search_sql(const model::SearchQuery& query);

}  // namespace usersctl::store::sqlite
