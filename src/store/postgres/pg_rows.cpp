#include "store/postgres/pg_rows.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "store/shared_sql.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::store::postgres {

namespace {

// Names travel joined by a control character, which validation keeps out of names.
constexpr char kItemSeparator = '\x1e';

std::vector<std::string> split(std::string_view text, bool sorted = true) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(kItemSeparator, start);
    items.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (sorted) std::sort(items.begin(), items.end());
  return items;
}

}  // namespace

model::Attributes parse_attrs_json(std::string_view text) {
  model::Attributes attrs;
  if (text == "{}") return attrs;
  try {
    const nlohmann::json object = nlohmann::json::parse(text);
    for (auto it = object.begin(); it != object.end(); ++it)
      attrs.emplace(it.key(), it.value().get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw InternalError(std::string("database: unreadable attributes: ") + e.what());
  }
  return attrs;
}

const std::string& user_select_sql() {
  static const std::string sql =
      "SELECT u.id, u.username, u.uid, u.name, u.email, u.disabled, u.created_at, u.updated_at, "
      "u.created_by, u.updated_by, u.version, "
      "(SELECT string_agg(g.name, E'\\x1e') FROM memberships m JOIN usergroups g ON g.id = m.group_id "
      "WHERE m.user_id = u.id), "
      "u.attrs::text, u.gid, u.home, u.shell, "
      "(SELECT string_agg(" +
      std::string(shared_sql::kSshKeyLine) +
      ", E'\\x1e' ORDER BY k.id) FROM ssh_keys k "
      "WHERE k.user_id = u.id) FROM users u";
  return sql;
}

model::User read_user_row(const Result& result, int row) {
  model::User user;
  user.id = result.int64(row, 0);
  user.username = result.text(row, 1);
  user.uid = result.int64(row, 2);
  user.name = result.text(row, 3);
  user.email = result.optional_text(row, 4);
  user.disabled = result.int64(row, 5) != 0;
  user.created_at = result.text(row, 6);
  user.updated_at = result.text(row, 7);
  user.created_by = result.text(row, 8);
  user.updated_by = result.text(row, 9);
  user.version = result.int64(row, 10);
  user.groups = split(result.view(row, 11));
  user.attrs = parse_attrs_json(result.view(row, 12));
  user.gid = result.int64(row, 13);
  user.home = result.text(row, 14);
  user.shell = result.text(row, 15);
  user.ssh_keys = split(result.view(row, 16), false);
  return user;
}

const std::string& group_select_sql() {
  static const std::string sql =
      "SELECT g.id, g.name, g.gid, g.description, g.created_at, g.updated_at, g.created_by, g.updated_by, "
      "g.version, (SELECT string_agg(u.username, E'\\x1e') FROM memberships m JOIN users u ON u.id = "
      "m.user_id WHERE m.group_id = g.id) FROM usergroups g";
  return sql;
}

model::Group read_group_row(const Result& result, int row) {
  model::Group group;
  group.id = result.int64(row, 0);
  group.name = result.text(row, 1);
  group.gid = result.int64(row, 2);
  group.description = result.text(row, 3);
  group.created_at = result.text(row, 4);
  group.updated_at = result.text(row, 5);
  group.created_by = result.text(row, 6);
  group.updated_by = result.text(row, 7);
  group.version = result.int64(row, 8);
  group.members = split(result.view(row, 9));
  return group;
}

std::string attrs_json(const model::Attributes& attrs) {
  if (attrs.empty()) return "{}";
  return nlohmann::json(attrs).dump();
}

std::optional<std::string> email_key(const model::User& user) {
  if (!user.email) return std::nullopt;
  return util::fold_case(*user.email);
}

std::string name_key(const model::User& user) { return util::fold_case(user.name); }

std::string attrs_key(const model::User& user) {
  // Values joined by newlines, which no value or search text may contain, as the SQLite index does.
  std::string joined;
  for (const auto& [key, value] : user.attrs) {
    if (!joined.empty()) joined += '\n';
    joined += value;
  }
  return util::fold_case(joined);
}

}  // namespace usersctl::store::postgres
