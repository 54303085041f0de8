#pragma once
// The one place that picks a storage backend from a database URL.

#include <memory>
#include <string_view>

#include "store/store.hpp"

namespace usersctl::store {

// `url` empty: the default SQLite file. Throws UsageError for a bad URL, Unavailable when
// the database cannot be opened or its schema is newer than this binary.
std::unique_ptr<Store> open_store(std::string_view url);

}  // namespace usersctl::store
