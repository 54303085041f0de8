#pragma once
// The SQL of `search`, ranked as the SQLite store ranks: the exact username, then usernames
// starting with the text (by name), then every other match, oldest first.

#include <string>

#include "model/search_query.hpp"

namespace usersctl::store::postgres {

struct SearchSql {
  std::string username_prefix;  // $1 folded text, $2 limit; empty when usernames are not searched
  std::string others;           // $1 others_param (a LIKE pattern), $2 limit; yields user ids by id
  std::string others_param;
};

// Matching is LIKE over util::fold_case copies (C collation: bytes), so it finds exactly what the
// SQLite store's folded_contains finds; pg_trgm's GIN indexes answer it without a scan.
SearchSql build_search_sql(const model::SearchQuery& query);

}  // namespace usersctl::store::postgres
