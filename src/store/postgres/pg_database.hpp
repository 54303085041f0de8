#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace usersctl::store::postgres {

// Connects to the PostgreSQL database at `url` (postgresql:// or postgres://, handed to libpq as
// is) and migrates it as needed. Throws Unavailable (URL shown with its password redacted).
// With MustExist a database without usersctl's schema is Unavailable and the schema is not created.
std::unique_ptr<Database> open_postgres_database(const std::string& url,
                                                 model::OpenMode mode = model::OpenMode::CreateIfMissing);
// The schema version this binary creates.
int postgres_schema_version();

}  // namespace usersctl::store::postgres
