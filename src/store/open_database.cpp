#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "util/db_url.hpp"
#include "util/errors.hpp"

namespace usersctl::store {

std::unique_ptr<Database> open_database(std::string_view url, model::OpenMode mode) {
  if (url.empty()) {
    return sqlite::open_sqlite_database(util::default_db_path(), sqlite::CreateFolders::Yes, mode);
  }
  const util::DbUrl parsed = util::parse_db_url(url);
  switch (parsed.backend) {
    case util::Backend::Sqlite:
      return sqlite::open_sqlite_database(parsed.target, sqlite::CreateFolders::No, mode);
    case util::Backend::Postgresql:
      return postgres::open_postgres_database(parsed.target, mode);
  }
  throw InternalError("unknown database backend");
}

std::vector<model::BackendSchema> built_in_backends() {
  return {{"sqlite", sqlite::sqlite_schema_version()}, {"postgresql", postgres::postgres_schema_version()}};
}

}  // namespace usersctl::store
