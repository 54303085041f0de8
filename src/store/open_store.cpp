#include "store/open_store.hpp"

#include <string>

#include "core/errors.hpp"
#include "store/db_url.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace usersctl::store {

std::unique_ptr<Store> open_store(std::string_view url) {
  if (url.empty()) return sqlite::open_sqlite_store(default_db_path(), sqlite::CreateFolders::Yes);
  const DbUrl parsed = parse_db_url(url);
  switch (parsed.backend) {
    case Backend::Sqlite:
      return sqlite::open_sqlite_store(parsed.target, sqlite::CreateFolders::No);
    case Backend::Postgresql:
      return postgres::open_postgres_store(parsed.target);
  }
  throw InternalError("unknown database backend");
}

}  // namespace usersctl::store
