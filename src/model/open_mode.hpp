#pragma once
// Whether opening a database may create it. Read commands must not leave a database behind
// (a typo in --db would grow a file), so they open an existing one only.

namespace usersctl::model {

enum class OpenMode {
  CreateIfMissing,  // writes: create the SQLite file (and the default folder), create the schema
  MustExist,        // reads: Unavailable "no database at PATH" instead of creating anything
};

}  // namespace usersctl::model
