#include "store/sqlite/sqlite_rows.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "store/shared_sql.hpp"

namespace usersctl::store::sqlite {

namespace {

// Lists travel as text joined by control characters, which validation keeps out of
// names and attribute values: cheaper than building and parsing JSON per row.
constexpr char kItemSeparator = '\x1e';
constexpr char kPairSeparator = '\x1f';

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    items.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return items;
}

model::Attributes parse_attrs(std::string_view text) {
  model::Attributes attrs;
  for (const std::string& item : split(text, kItemSeparator)) {
    const auto separator = item.find(kPairSeparator);
    attrs.emplace(item.substr(0, separator),
                  separator == std::string::npos ? "" : item.substr(separator + 1));
  }
  return attrs;
}

}  // namespace

const std::string& user_select_sql() {
  static const std::string sql =
      "SELECT u.id, u.username, u.uid, u.name, u.email, u.disabled, u.created_at, u.updated_at, "
      "u.created_by, u.updated_by, u.version, "
      // No ORDER BY inside: a sorter per row costs more than sorting the few names in
      // read_user_row. Attributes come from the row's own copy (migration 4).
      "(SELECT group_concat(g.name, char(30)) FROM memberships m JOIN usergroups g ON g.id = m.group_id "
      "WHERE m.user_id = u.id), "
      "u.attrs_text, u.gid, u.home, u.shell, "
      // Keys oldest first: the subquery's order is the one group_concat meets them in.
      "(SELECT group_concat(line, char(30)) FROM (SELECT " +
      std::string(shared_sql::kSshKeyLine) +
      " AS line FROM ssh_keys k WHERE k.user_id = u.id ORDER BY k.id)) FROM users u";
  return sql;
}

model::User read_user_row(const Statement& stmt) {
  model::User user;
  user.id = stmt.int64(0);
  user.username = stmt.text(1);
  user.uid = stmt.int64(2);
  user.name = stmt.text(3);
  user.email = stmt.optional_text(4);
  user.disabled = stmt.int64(5) != 0;
  user.created_at = stmt.text(6);
  user.updated_at = stmt.text(7);
  user.created_by = stmt.text(8);
  user.updated_by = stmt.text(9);
  user.version = stmt.int64(10);
  user.groups = split(stmt.text(11), kItemSeparator);
  std::sort(user.groups.begin(), user.groups.end());
  user.attrs = parse_attrs(stmt.text(12));
  user.gid = stmt.int64(13);
  user.home = stmt.text(14);
  user.shell = stmt.text(15);
  user.ssh_keys = split(stmt.text(16), kItemSeparator);
  return user;
}

const std::string& group_select_sql() {
  static const std::string sql =
      "SELECT g.id, g.name, g.gid, g.description, g.created_at, g.updated_at, g.created_by, g.updated_by, "
      "g.version, (SELECT group_concat(u.username, char(30)) FROM memberships m JOIN users u ON u.id = "
      "m.user_id "
      "WHERE m.group_id = g.id) FROM usergroups g";
  return sql;
}

model::Group read_group_row(const Statement& stmt) {
  model::Group group;
  group.id = stmt.int64(0);
  group.name = stmt.text(1);
  group.gid = stmt.int64(2);
  group.description = stmt.text(3);
  group.created_at = stmt.text(4);
  group.updated_at = stmt.text(5);
  group.created_by = stmt.text(6);
  group.updated_by = stmt.text(7);
  group.version = stmt.int64(8);
  group.members = split(stmt.text(9), kItemSeparator);
  std::sort(group.members.begin(), group.members.end());
  return group;
}

}  // namespace usersctl::store::sqlite
