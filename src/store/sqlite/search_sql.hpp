#pragma once
// The SQL of `search`: FTS5 trigram candidates (or a scan for queries under three
// characters, which trigrams cannot index), checked exactly and ranked.

#include <sqlite3.h>

#include "core/search_query.hpp"
#include "store/sqlite/user_list_sql.hpp"

namespace usersctl::store::sqlite {

// Registers usersctl_fold(text), the same case folding core uses, on a connection.
void register_fold_function(sqlite3* db);

UserListSql build_search_sql(const core::SearchQuery& query);

}  // namespace usersctl::store::sqlite
