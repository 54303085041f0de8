#include <string>

#include "store/database.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "util/db_url.hpp"
#include "util/errors.hpp"

namespace usersctl::store {

std::unique_ptr<Database> open_database(std::string_view url) {
  if (url.empty()) return sqlite::open_sqlite_database(util::default_db_path(), sqlite::CreateFolders::Yes);
  const util::DbUrl parsed = util::parse_db_url(url);
  switch (parsed.backend) {
    case util::Backend::Sqlite:
      return sqlite::open_sqlite_database(parsed.target, sqlite::CreateFolders::No);
    case util::Backend::Postgresql:
      return postgres::open_postgres_database(parsed.target);
  }
  throw InternalError("unknown database backend");
}

}  // namespace usersctl::store
