#include "store/postgres/pg_rows.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "store/lifecycle_sql.hpp"
#include "store/record_columns.hpp"
#include "store/shared_sql.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::store::postgres {

namespace {

// Names travel joined by a control character, which validation keeps out of names.
constexpr char kItemSeparator = '\x1e';

std::vector<std::string> split(std::string_view text, bool sorted = true) {
  auto items = split_items(text, kItemSeparator);
  if (sorted) std::sort(items.begin(), items.end());
  return items;
}

// One row of a Result, read as record_columns.hpp reads rows.
struct ResultRow {
  const Result& result;
  int row;
  std::int64_t int64(int column) const { return result.int64(row, column); }
  std::string text(int column) const { return result.text(row, column); }
  std::optional<std::string> optional_text(int column) const { return result.optional_text(row, column); }
};

}  // namespace

model::Attributes parse_attrs_json(std::string_view text) {
  model::Attributes attrs;
  if (text == "{}") return attrs;
  try {
    const nlohmann::json object = nlohmann::json::parse(text);
    for (auto it = object.begin(); it != object.end(); ++it)
      attrs.emplace(it.key(), it.value().get<std::string>());
  } catch (const nlohmann::json::exception&) {
    // Not e.what(): nlohmann quotes the text it read.
    throw InternalError("database: unreadable attributes (not a JSON object of strings)");
  }
  return attrs;
}

namespace {

// "SELECT … FROM users u" with `keys` as column 16 and `extra` after the window columns (23 on).
std::string user_select(const std::string& keys, const char* extra) {
  return USERSCTL_USER_HEAD_COLUMNS
         "(SELECT string_agg(g.name, E'\\x1e') FROM memberships m JOIN usergroups g ON g.id = m.group_id "
         "WHERE m.user_id = u.id AND g.deleted_at IS NULL), "
         "u.attrs::text, u.gid, u.home, u.shell, "
         "(SELECT string_agg(" +
         keys +
         ", E'\\x1e' ORDER BY k.id) FROM ssh_keys k WHERE k.user_id = u.id)" USERSCTL_USER_WINDOW_COLUMNS +
         extra + " FROM users u";
}

// Every column of a user row but its keys (16).
model::User read_user_fields(const Result& result, int row) {
  model::User user = read_user_columns(ResultRow{result, row});
  user.groups = split(result.view(row, 11));
  user.attrs = parse_attrs_json(result.view(row, 12));
  read_window_columns(ResultRow{result, row}, 17, user);
  return user;
}

}  // namespace

const std::string& user_select_sql() {
  static const std::string sql = user_select(shared_sql::kSshKeyLine, "");
  return sql;
}

model::User read_user_row(const Result& result, int row) {
  model::User user = read_user_fields(result, row);
  user.ssh_keys = split(result.view(row, 16), false);
  return user;
}

const std::string& credential_select_sql() {
  // The keys' parts as record_columns.hpp's parse_ssh_key_parts reads them (\x1f: kKeyPartSeparator).
  static const std::string sql = user_select(
      "k.type || E'\\x1f' || k.key_base64 || E'\\x1f' || k.comment || E'\\x1f' || k.fingerprint || "
      "E'\\x1f' || k.added_at",
      ", u.password_hash");
  return sql;
}

UserWithCredentials read_credential_row(const Result& result, int row) {
  UserWithCredentials read{read_user_fields(result, row), result.optional_text(row, 23),
                           parse_ssh_key_parts(result.view(row, 16))};
  for (const auto& key : read.keys) read.user.ssh_keys.push_back(key.line());
  return read;
}

const std::string& group_select_sql() {
  static const std::string sql = USERSCTL_GROUP_HEAD_COLUMNS
      "(SELECT string_agg(u.username, E'\\x1e') FROM memberships m JOIN users u ON u.id = "
      "m.user_id WHERE m.group_id = g.id AND u.deleted_at IS NULL)" USERSCTL_GROUP_BIN_COLUMNS
      " FROM usergroups g";
  return sql;
}

model::Group read_group_row(const Result& result, int row) {
  model::Group group = read_group_columns(ResultRow{result, row});
  group.members = split(result.view(row, 9));
  read_bin_columns(ResultRow{result, row}, 10, group, group.name);
  return group;
}

std::string attrs_json(const model::Attributes& attrs) {
  if (attrs.empty()) return "{}";
  return nlohmann::json(attrs).dump();
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
