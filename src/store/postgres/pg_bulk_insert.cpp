#include "store/postgres/pg_bulk_insert.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store::postgres {

namespace {

constexpr std::size_t kBatch = 2000;

struct FirstConflict {
  std::size_t row = 0;
  std::string column;  // users.username, users.uid or users.email_key
};

void keep_earliest(std::optional<FirstConflict>& best, std::size_t row, const char* column) {
  if (!best || row < best->row) best = FirstConflict{row, column};
}

// The first row repeating a key of an earlier row.
std::optional<FirstConflict> first_repeat(const std::vector<NewUserRow>& rows,
                                          const std::vector<std::optional<std::string>>& email_keys) {
  std::unordered_set<std::string> names;
  std::unordered_set<std::int64_t> uids;
  std::unordered_set<std::string> emails;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!names.insert(rows[i].user.username).second) return FirstConflict{i, "users.username"};
    if (!uids.insert(rows[i].user.uid).second) return FirstConflict{i, "users.uid"};
    if (email_keys[i] && !emails.insert(*email_keys[i]).second) return FirstConflict{i, "users.email_key"};
  }
  return std::nullopt;
}

// The first row whose key the database already holds.
std::optional<FirstConflict> first_taken(Connection& db, const std::vector<NewUserRow>& rows,
                                         const std::vector<std::optional<std::string>>& email_keys) {
  for (std::size_t start = 0; start < rows.size(); start += kBatch) {
    const std::size_t end = std::min(rows.size(), start + kBatch);
    ArrayLiteral names, uids, emails;
    for (std::size_t i = start; i < end; ++i) {
      names.add(rows[i].user.username);
      uids.add(rows[i].user.uid);
      emails.add(email_keys[i]);
    }
    const Result r = db.exec(
        "SELECT r.i, EXISTS (SELECT 1 FROM users u WHERE u.username = r.username), "
        "EXISTS (SELECT 1 FROM users u WHERE u.uid = r.uid) "
        "FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS r(username, uid, email_key, i) "
        "WHERE EXISTS (SELECT 1 FROM users u WHERE u.username = r.username) "
        "OR EXISTS (SELECT 1 FROM users u WHERE u.uid = r.uid) "
        "OR EXISTS (SELECT 1 FROM users u WHERE u.email_key = r.email_key) ORDER BY r.i LIMIT 1",
        Params().add(names.str()).add(uids.str()).add(emails.str()));
    if (r.rows() > 0) {
      const auto row = start + static_cast<std::size_t>(r.int64(0, 0) - 1);
      const char* column = r.view(0, 1) == "t"   ? "users.username"
                           : r.view(0, 2) == "t" ? "users.uid"
                                                 : "users.email_key";
      return FirstConflict{row, column};
    }
  }
  return std::nullopt;
}

void insert_batch(Connection& db, std::vector<NewUserRow>& rows, std::size_t start, std::size_t end,
                  const std::vector<std::optional<std::string>>& email_keys) {
  ArrayLiteral ids, names, uids, display, emails, keys, hashes, disabled, created_at, updated_at, created_by,
      updated_by, versions, attrs, name_keys, attrs_keys, member_groups, member_users;
  for (std::size_t i = start; i < end; ++i) {
    const core::User& user = rows[i].user;
    ids.add(user.id);
    names.add(user.username);
    uids.add(user.uid);
    display.add(user.name);
    emails.add(user.email);
    keys.add(email_keys[i]);
    hashes.add(rows[i].password_hash);
    disabled.add(std::int64_t{user.disabled});
    created_at.add(user.created_at);
    updated_at.add(user.updated_at);
    created_by.add(user.created_by);
    updated_by.add(user.updated_by);
    versions.add(user.version);
    attrs.add(attrs_json(user.attrs));
    name_keys.add(name_key(user));
    attrs_keys.add(attrs_key(user));
    for (const auto group_id : rows[i].group_ids) {
      member_groups.add(group_id);
      member_users.add(user.id);
    }
  }
  db.exec(
      "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, "
      "updated_at, created_by, updated_by, version, attrs, name_key, attrs_key) "
      "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], "
      "$7::text[], $8::integer[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], "
      "$14::jsonb[], $15::text[], $16::text[])",
      Params()
          .add(ids.str())
          .add(names.str())
          .add(uids.str())
          .add(display.str())
          .add(emails.str())
          .add(keys.str())
          .add(hashes.str())
          .add(disabled.str())
          .add(created_at.str())
          .add(updated_at.str())
          .add(created_by.str())
          .add(updated_by.str())
          .add(versions.str())
          .add(attrs.str())
          .add(name_keys.str())
          .add(attrs_keys.str()));
  if (!member_groups.empty()) {
    db.exec(
        "INSERT INTO memberships (group_id, user_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) "
        "ON CONFLICT DO NOTHING",
        Params().add(member_groups.str()).add(member_users.str()));
  }
}

}  // namespace

void insert_user_rows(Connection& db, std::vector<NewUserRow>& rows) {
  if (rows.empty()) return;
  std::vector<std::optional<std::string>> email_keys;
  email_keys.reserve(rows.size());
  for (const auto& row : rows) email_keys.push_back(email_key(row.user));

  auto conflict = first_repeat(rows, email_keys);
  if (const auto taken = first_taken(db, rows, email_keys))
    keep_earliest(conflict, taken->row, taken->column.c_str());
  if (conflict) throw RowConflict(conflict->row, "database: UNIQUE constraint failed: " + conflict->column);

  // Ids continue from the highest, as single inserts assign them.
  std::int64_t next_id = db.exec("SELECT coalesce(max(id), 0) + 1 FROM users").int64(0, 0);
  for (auto& row : rows) row.user.id = next_id++;
  for (std::size_t start = 0; start < rows.size(); start += kBatch) {
    try {
      insert_batch(db, rows, start, std::min(rows.size(), start + kBatch), email_keys);
    } catch (const Conflict& conflict_in_batch) {
      // Another unique rule (one an admin added on the server): name the batch's first row.
      throw RowConflict(start, conflict_in_batch.what());
    }
  }
}

}  // namespace usersctl::store::postgres
