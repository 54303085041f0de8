#include "store/sqlite/sqlite_rows.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "store/lifecycle_sql.hpp"
#include "store/record_columns.hpp"
#include "store/shared_sql.hpp"

namespace usersctl::store::sqlite {

namespace {

// Lists travel as text joined by control characters, which validation keeps out of
// names and attribute values: cheaper than building and parsing JSON per row.
constexpr char kItemSeparator = '\x1e';
constexpr char kPairSeparator = '\x1f';

model::Attributes parse_attrs(std::string_view text) {
  model::Attributes attrs;
  for (const std::string& item : split_items(text, kItemSeparator)) {
    const auto separator = item.find(kPairSeparator);
    attrs.emplace(item.substr(0, separator),
                  separator == std::string::npos ? "" : item.substr(separator + 1));
  }
  return attrs;
}

// The columns read_user_fields() reads, with `keys` as column 16 and `extra` after the window
// columns (from 23 on).
std::string user_columns(const std::string& keys, const char* extra) {
  return USERSCTL_USER_HEAD_COLUMNS
         // No ORDER BY inside: a sorter per row costs more than sorting the few names in
         // read_user_fields. Attributes come from the row's own copy (migration 4).
         "(SELECT group_concat(g.name, char(30)) FROM memberships m JOIN usergroups g ON g.id = m.group_id "
         "WHERE m.user_id = u.id AND g.deleted_at IS NULL), "
         "u.attrs_text, u.gid, u.home, u.shell, " +
         keys + USERSCTL_USER_WINDOW_COLUMNS + extra;
}

// A user's keys oldest first, each as `line` makes it: the subquery's order is the one
// group_concat meets them in.
std::string keys_column(const std::string& line) {
  return "(SELECT group_concat(line, char(30)) FROM (SELECT " + line +
         " AS line FROM ssh_keys k WHERE k.user_id = u.id ORDER BY k.id))";
}

// Every column of a user row but its keys (16).
model::User read_user_fields(const Statement& stmt) {
  model::User user = read_user_columns(stmt);
  user.groups = split_items(stmt.text(11), kItemSeparator);
  std::sort(user.groups.begin(), user.groups.end());
  user.attrs = parse_attrs(stmt.text(12));
  read_window_columns(stmt, 17, user);
  return user;
}

}  // namespace

const std::string& user_columns_sql() {
  static const std::string sql = user_columns(keys_column(shared_sql::kSshKeyLine), "");
  return sql;
}

const std::string& user_select_sql() {
  static const std::string sql = user_columns_sql() + " FROM users u";
  return sql;
}

model::User read_user_row(const Statement& stmt) {
  model::User user = read_user_fields(stmt);
  user.ssh_keys = split_items(stmt.text(16), kItemSeparator);
  return user;
}

const std::string& credential_select_sql() {
  // The keys' parts as record_columns.hpp's parse_ssh_key_parts reads them (31 = kKeyPartSeparator).
  static const std::string sql =
      user_columns(keys_column("k.type || char(31) || k.key_base64 || char(31) || k.comment || char(31) || "
                               "k.fingerprint || char(31) || k.added_at"),
                   ", u.password_hash") +
      " FROM users u";
  return sql;
}

UserWithCredentials read_credential_row(const Statement& stmt) {
  UserWithCredentials row{read_user_fields(stmt), stmt.optional_text(23), parse_ssh_key_parts(stmt.text(16))};
  for (const auto& key : row.keys) row.user.ssh_keys.push_back(key.line());
  return row;
}

namespace {

// "SELECT … FROM usergroups g" with `members` as column 9.
std::string group_select(const char* members) {
  return std::string(USERSCTL_GROUP_HEAD_COLUMNS) + members + USERSCTL_GROUP_BIN_COLUMNS " FROM usergroups g";
}

}  // namespace

const std::string& group_select_sql() {
  static const std::string sql = group_select(
      "(SELECT group_concat(u.username, char(30)) FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.group_id = g.id AND u.deleted_at IS NULL)");
  return sql;
}

const std::string& group_select_without_members_sql() {
  static const std::string sql = group_select("NULL");
  return sql;
}

model::Group read_group_row_with(const Statement& stmt, std::string_view members) {
  model::Group group = read_group_columns(stmt);
  group.members = split_items(members, kItemSeparator);
  read_bin_columns(stmt, 10, group, group.name);
  std::sort(group.members.begin(), group.members.end());
  return group;
}

model::Group read_group_row(const Statement& stmt) { return read_group_row_with(stmt, stmt.text(9)); }

}  // namespace usersctl::store::sqlite
