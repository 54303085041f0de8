#pragma once
// Database URLs: a plain path, `sqlite:PATH`, `sqlite::memory:`, or `postgresql://…`.

#include <string>
#include <string_view>

namespace usersctl::util {

enum class Backend { Sqlite, Postgresql };

struct DbUrl {
  Backend backend = Backend::Sqlite;
  std::string target;  // the SQLite path (or ":memory:"), or the full PostgreSQL URL
};

// Throws UsageError for an unknown scheme or an empty target.
DbUrl parse_db_url(std::string_view url);
// Redaction for messages and `health`: util/url_redaction.hpp.
// ${XDG_DATA_HOME:-~/.local/share}/usersctl/users.db
std::string default_db_path();

}  // namespace usersctl::util
