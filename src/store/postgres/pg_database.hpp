#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace usersctl::store::postgres {

// Connects to the PostgreSQL database at `url` (postgresql:// or postgres://, handed to libpq as
// is) and migrates it as needed. Throws Unavailable (URL shown with its password redacted).
std::unique_ptr<Database> open_postgres_database(const std::string& url);

}  // namespace usersctl::store::postgres
