#pragma once
// The columns of a user or group row as both backends' row readers return them (their
// user_select_sql() and group_select_sql() keep these places), read through any row type with
// int64(column), text(column) and optional_text(column). What a backend aggregates its own way
// (a user's groups 11, attributes 12 and SSH keys 16; a group's members 9) it parses itself.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/group.hpp"
#include "model/ssh_key.hpp"
#include "model/user.hpp"

namespace usersctl::store {

// The columns both backends' selects begin with, in the places the readers below take them from:
// a user's 0 to 10 (its aggregates and the rest follow), a group's 0 to 8 (then its members).
#define USERSCTL_USER_HEAD_COLUMNS                                                            \
  "SELECT u.id, u.username, u.uid, u.name, u.email, u.disabled, u.created_at, u.updated_at, " \
  "u.created_by, u.updated_by, u.version, "
#define USERSCTL_GROUP_HEAD_COLUMNS                                                                     \
  "SELECT g.id, g.name, g.gid, g.description, g.created_at, g.updated_at, g.created_by, g.updated_by, " \
  "g.version, "

// created_at, updated_at, created_by, updated_by, version from column `first` on.
template <class Row, class Record>
void read_record_stamps(const Row& row, int first, Record& record) {
  record.created_at = row.text(first);
  record.updated_at = row.text(first + 1);
  record.created_by = row.text(first + 2);
  record.updated_by = row.text(first + 3);
  record.version = row.int64(first + 4);
}

// Columns 0 to 2 of every record row: its surrogate id, its name and its uid or gid.
template <class Row, class Record>
void read_identity_columns(const Row& row, Record& record, std::string& name, std::int64_t& number) {
  record.id = row.int64(0);
  name = row.text(1);
  number = row.int64(2);
}

template <class Row>
model::User read_user_columns(const Row& row) {
  model::User user;
  read_identity_columns(row, user, user.username, user.uid);
  user.name = row.text(3);
  user.email = row.optional_text(4);
  user.disabled = row.int64(5) != 0;
  read_record_stamps(row, 6, user);
  user.gid = row.int64(13);
  user.home = row.text(14);
  user.shell = row.text(15);
  return user;
}

template <class Row>
model::Group read_group_columns(const Row& row) {
  model::Group group;
  read_identity_columns(row, group, group.name, group.gid);
  group.description = row.text(3);
  read_record_stamps(row, 4, group);
  return group;
}

template <class Row, class Record>
void read_bin_columns(const Row& row, int first, Record& record, std::string& name) {
  record.deleted_at = row.optional_text(first);
  record.deleted_by = row.optional_text(first + 1);
  if (auto kept = row.optional_text(first + 2)) name = std::move(*kept);
}
// valid_from, expires_at, password_changed_at, deleted_at, deleted_by, deleted_name from column
// `first` on (lifecycle_sql.hpp); a binned record shows its own name again, not its tombstone.
template <class Row>
void read_window_columns(const Row& row, int first, model::User& user) {
  user.valid_from = row.optional_text(first);
  user.expires_at = row.optional_text(first + 1);
  user.password_changed_at = row.optional_text(first + 2);
  read_bin_columns(row, first + 3, user, user.username);
}

// The items of a list aggregated into one text column, joined by `separator` (a control
// character, which validation keeps out of names and values); none for empty text.
std::vector<std::string> split_items(std::string_view text, char separator);

// A user's SSH keys aggregated into one text column for the directory exports
// (list_users_with_credentials): per key type, key_base64, comment, fingerprint and added_at joined
// by kKeyPartSeparator, the keys joined by kKeySeparator, oldest first. Validation keeps control
// characters out of every part, so the separators cannot occur in them.
constexpr char kKeySeparator = '\x1e';
constexpr char kKeyPartSeparator = '\x1f';
std::vector<model::SshKey> parse_ssh_key_parts(std::string_view text);

// The case-folded email a user row keeps for uniqueness and lookups (absent without an email).
std::optional<std::string> email_key(const model::User& user);

}  // namespace usersctl::store
