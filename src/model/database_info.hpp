#pragma once
// What a database says about itself (for `health` and messages).

#include <string>

namespace usersctl::model {

struct DatabaseInfo {
  std::string backend;            // "sqlite", "postgresql"
  std::string location;           // the URL with any password redacted
  int schema_version = 0;         // what the database has
  int binary_schema_version = 0;  // what this binary writes
};

// A backend built into this binary and the schema version it creates and migrates to.
struct BackendSchema {
  std::string backend;  // "sqlite", "postgresql"
  int schema_version = 0;
};

}  // namespace usersctl::model
