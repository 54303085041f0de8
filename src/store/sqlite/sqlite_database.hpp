#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace usersctl::store::sqlite {

// Whether missing folders above the database file are created (mode 0700): yes for the
// default location, no for a path the admin typed, where a typo should not grow a tree.
enum class CreateFolders { No, Yes };

// Opens (creating and migrating as needed) the SQLite database at `path`. With MustExist a
// missing file is Unavailable ("no database at PATH") and no file or folder is created.
std::unique_ptr<Database> open_sqlite_database(const std::string& path, CreateFolders folders,
                                               model::OpenMode mode = model::OpenMode::CreateIfMissing);
// The schema version this binary creates.
int sqlite_schema_version();

}  // namespace usersctl::store::sqlite
