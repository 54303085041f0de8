#include "util/db_url.hpp"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "util/errors.hpp"

namespace usersctl::util {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

struct UrlParts {
  std::size_t authority_start = 0;
  std::string_view authority;
  std::string_view query;  // after '?', up to '#'
  std::size_t query_start = std::string_view::npos;
};

std::optional<UrlParts> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.authority_start = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", parts.authority_start);
  parts.authority = url.substr(parts.authority_start, authority_end - parts.authority_start);
  const auto question = url.find('?', parts.authority_start);
  if (question != std::string_view::npos) {
    parts.query_start = question + 1;
    const auto hash = url.find('#', parts.query_start);
    parts.query =
        url.substr(parts.query_start, hash == std::string_view::npos ? hash : hash - parts.query_start);
  }
  return parts;
}

// The password in `user:password@`, if any.
std::optional<std::string_view> authority_password(std::string_view authority) {
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return authority.substr(colon + 1, at - colon - 1);
}

// Calls `visit(value_start, value)` for each `password=` query parameter.
template <typename Visit>
void for_each_password_param(std::string_view query, std::size_t query_start, Visit visit) {
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view param = query.substr(start, end - start);
    if (starts_with(param, "password=")) visit(query_start + start + 9, param.substr(9));
    start = end + 1;
  }
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
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

std::string redact_db_url(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) return std::string(url);
  // Spans of the URL to replace by ***, in order.
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  if (const auto password = authority_password(parts->authority)) {
    spans.emplace_back(static_cast<std::size_t>(password->data() - url.data()), password->size());
  }
  for_each_password_param(parts->query, parts->query_start, [&](std::size_t start, std::string_view value) {
    spans.emplace_back(start, value.size());
  });
  std::string out;
  std::size_t done = 0;
  for (const auto& [start, length] : spans) {
    out += url.substr(done, start - done);
    out += "***";
    done = start + length;
  }
  out += url.substr(done);
  return out;
}

std::vector<std::string> db_url_secrets(std::string_view url) {
  std::vector<std::string> secrets;
  const auto parts = split_url(url);
  if (!parts) return secrets;
  const auto keep = [&](std::string_view value) {
    if (value.empty()) return;
    secrets.emplace_back(value);
    const std::string decoded = percent_decode(value);
    if (decoded != value && !decoded.empty()) secrets.push_back(decoded);
  };
  if (const auto password = authority_password(parts->authority)) keep(*password);
  for_each_password_param(parts->query, parts->query_start,
                          [&](std::size_t, std::string_view value) { keep(value); });
  return secrets;
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
