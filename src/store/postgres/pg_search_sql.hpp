#pragma once
// The SQL of `search`, ranked as the SQLite store ranks: the exact username, then usernames
// starting with the text (by name), then every other match, oldest first.

#include <string>

#include "model/search_query.hpp"
#include "store/search_tiers.hpp"

namespace usersctl::store::postgres {

// The tiers of store/search_tiers.hpp: $1 the folded text, $2 the limit; the others $1 others_param
// (a LIKE pattern), $2 limit, by id.
// Matching is LIKE over util::fold_case copies (C collation: bytes), so it finds exactly what the
// SQLite store's folded_contains finds; pg_trgm's GIN indexes answer it without a scan.
SearchSql build_search_sql(const model::SearchQuery& query);

}  // namespace usersctl::store::postgres
