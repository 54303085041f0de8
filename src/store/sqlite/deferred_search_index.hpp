#pragma once
// A large bulk load's search index, built once for all its rows instead of row by row.

#include <cstddef>

#include "store/sqlite/sqlite_db.hpp"

namespace usersctl::store::sqlite {

// Whether a bulk insert of `rows` rows should defer the index (at least 1,000 rows, or as
// many as the hidden USERSCTL_BULK_INDEX_ROWS says: tests force the bulk path with 1).
bool deferred_index_wanted(std::size_t rows);

// From now on in this write transaction, users rows inserted skip the triggers that maintain
// user_search and users.attrs_text (those of older rows keep them; new rows carry their attrs_text
// already); just before COMMIT the index is built for every row inserted since, in one statement,
// and the triggers are put back as they were. So the index is exact when the transaction commits. Once per
// transaction; a schema whose triggers are not the expected ones keeps them.
void defer_search_index(Connection& db);

}  // namespace usersctl::store::sqlite
