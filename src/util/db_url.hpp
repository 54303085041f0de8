#pragma once
// Database URLs: a plain path, `sqlite:PATH`, `sqlite::memory:`, or `postgresql://…`.

#include <string>
#include <string_view>
#include <vector>

namespace usersctl::util {

enum class Backend { Sqlite, Postgresql };

struct DbUrl {
  Backend backend = Backend::Sqlite;
  std::string target;  // the SQLite path (or ":memory:"), or the full PostgreSQL URL
};

// Throws UsageError for an unknown scheme or an empty target.
DbUrl parse_db_url(std::string_view url);
// The URL with the password replaced by ***, for messages and `health`: the one in the authority
// (`user:***@host`) and a `password=` query parameter.
std::string redact_db_url(std::string_view url);
// The passwords a URL carries (authority and `password=` parameter), as written and
// percent-decoded, so that messages from a driver can be scrubbed of them.
std::vector<std::string> db_url_secrets(std::string_view url);
// ${XDG_DATA_HOME:-~/.local/share}/usersctl/users.db
std::string default_db_path();

}  // namespace usersctl::util
