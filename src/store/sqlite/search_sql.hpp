#pragma once
// The SQL of `search`.

#include <sqlite3.h>

#include <string>

#include "model/search_query.hpp"
#include "store/search_tiers.hpp"

namespace usersctl::store::sqlite {

// Registers usersctl_search_match(…), the exact check for short queries, on a connection.
void register_search_functions(sqlite3* db);

// The tiers of store/search_tiers.hpp on SQLite: ?1 the folded text, ?2 the limit; the others from the
// trigram index (or, for one or two characters, a scan), ?1 others_param.
SearchSql build_search_sql(const model::SearchQuery& query);

}  // namespace usersctl::store::sqlite
