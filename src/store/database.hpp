#pragma once
// One open database: its transactions, its user and group records, and its outbox, all on one
// connection. open_database() is the one place that picks a backend from a URL.

#include <memory>
#include <string_view>
#include <vector>

#include "model/database_info.hpp"
#include "model/open_mode.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"
#include "store/transactions.hpp"

namespace usersctl::store {

class Consumers;  // store/consumers.hpp: the cursors of events consume

class Database : public Transactions {
 public:
  virtual model::DatabaseInfo info() = 0;
  virtual Store& records() = 0;
  virtual Outbox& outbox() = 0;
  virtual Consumers& consumers() = 0;
};

// `url` empty: the default SQLite file. Throws UsageError for a bad URL, Unavailable when
// the database cannot be opened or its schema is newer than this binary. With MustExist a
// database that is not there (no SQLite file, no usersctl schema in PostgreSQL) is Unavailable
// and nothing is created.
std::unique_ptr<Database> open_database(std::string_view url,
                                        model::OpenMode mode = model::OpenMode::CreateIfMissing);

// The backends built in, with the schema version this binary creates on each.
std::vector<model::BackendSchema> built_in_backends();

}  // namespace usersctl::store
