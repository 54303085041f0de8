#include "util/db_url.hpp"

#include <cstdlib>

#include "util/errors.hpp"

namespace usersctl::util {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// SQLite reads a name starting with "file:" as a URI whose parameters (mode=memory, nolock=1,
// vfs=...) would override how usersctl opens the file: such a name is refused, not reinterpreted.
DbUrl sqlite_path(std::string_view url, std::string_view path) {
  if (path.empty()) throw UsageError("--db: '" + std::string(url) + "' names no file");
  if (starts_with(path, "file:")) {
    throw UsageError("--db: '" + std::string(url) + "' is an SQLite URI; usersctl takes a plain path",
                     "for a file of that name write ./" + std::string(path));
  }
  return {Backend::Sqlite, std::string(path)};
}

}  // namespace

DbUrl parse_db_url(std::string_view url) {
  if (url.empty()) throw UsageError("--db: empty database URL");
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return {Backend::Postgresql, std::string(url)};
  }
  if (starts_with(url, "sqlite:")) {
    std::string_view path = url.substr(7);
    if (starts_with(path, "//")) path.remove_prefix(2);  // sqlite:///abs/path
    return sqlite_path(url, path);
  }
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    throw UsageError("--db: unsupported database scheme '" + std::string(url.substr(0, scheme_end)) + "'",
                     "use a path, sqlite:PATH or postgresql://user@host/db");
  }
  return sqlite_path(url, url);
}

std::string default_db_path() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    base = std::string(home) + "/.local/share";
  } else {
    throw Unavailable("cannot find a default database: neither XDG_DATA_HOME nor HOME is set",
                      "pass --db PATH or set USERSCTL_DB");
  }
  return base + "/usersctl/users.db";
}

}  // namespace usersctl::util
