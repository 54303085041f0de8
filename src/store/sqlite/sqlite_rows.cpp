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

}  // namespace

const std::string& user_columns_sql() {
  static const std::string sql =
      USERSCTL_USER_HEAD_COLUMNS
      // No ORDER BY inside: a sorter per row costs more than sorting the few names in
      // read_user_row. Attributes come from the row's own copy (migration 4).
      "(SELECT group_concat(g.name, char(30)) FROM memberships m JOIN usergroups g ON g.id = m.group_id "
      "WHERE m.user_id = u.id AND g.deleted_at IS NULL), "
      "u.attrs_text, u.gid, u.home, u.shell, "
      // Keys oldest first: the subquery's order is the one group_concat meets them in.
      "(SELECT group_concat(line, char(30)) FROM (SELECT " +
      std::string(shared_sql::kSshKeyLine) +
      " AS line FROM ssh_keys k WHERE k.user_id = u.id ORDER BY k.id))" USERSCTL_USER_WINDOW_COLUMNS;
  return sql;
}

const std::string& user_select_sql() {
  static const std::string sql = user_columns_sql() + " FROM users u";
  return sql;
}

model::User read_user_row(const Statement& stmt) {
  model::User user = read_user_columns(stmt);
  user.groups = split_items(stmt.text(11), kItemSeparator);
  std::sort(user.groups.begin(), user.groups.end());
  user.attrs = parse_attrs(stmt.text(12));
  user.ssh_keys = split_items(stmt.text(16), kItemSeparator);
  read_window_columns(stmt, 17, user);
  return user;
}

const std::string& group_select_sql() {
  static const std::string sql = USERSCTL_GROUP_HEAD_COLUMNS
      "(SELECT group_concat(u.username, char(30)) FROM memberships m JOIN users u ON u.id = "
      "m.user_id "
      "WHERE m.group_id = g.id AND u.deleted_at IS NULL)" USERSCTL_GROUP_BIN_COLUMNS " FROM usergroups g";
  return sql;
}

model::Group read_group_row(const Statement& stmt) {
  model::Group group = read_group_columns(stmt);
  group.members = split_items(stmt.text(9), kItemSeparator);
  read_bin_columns(stmt, 10, group, group.name);
  std::sort(group.members.begin(), group.members.end());
  return group;
}

}  // namespace usersctl::store::sqlite
