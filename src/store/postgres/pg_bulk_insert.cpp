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

// The first row whose key the database already holds: three index lookups per row, a batch a statement.
std::optional<FirstConflict> first_taken(Connection& db, const std::vector<NewUserRow>& rows,
                                         const std::vector<std::optional<std::string>>& email_keys) {
  for (std::size_t start = 0; start < rows.size(); start += kBatch) {
    const std::size_t end = std::min(rows.size(), start + kBatch);
    ArrayLiteral names, uids, emails;
    for (std::size_t i = start; i < end; ++i) {
      names.add(rows[i].user.username);
      uids.add(rows[i].user.uid);
      if (email_keys[i]) emails.add(*email_keys[i]);
    }
    const Result r = db.exec(
        // Joins with unnest, not `= ANY(array)`: inside a long load the table's statistics are
        // stale, and the planner then scans the table for an ANY; a join probes the indexes.
        "SELECT 'n', u.username FROM unnest($1::text[]) k JOIN users u ON u.username = k "
        "UNION ALL SELECT 'u', u.uid::text FROM unnest($2::bigint[]) k JOIN users u ON u.uid = k "
        "UNION ALL SELECT 'e', u.email_key FROM unnest($3::text[]) k JOIN users u ON u.email_key = k",
        Params().add(names.str()).add(uids.str()).add(emails.str()));
    if (r.rows() == 0) continue;
    std::unordered_set<std::string> taken_names, taken_uids, taken_emails;
    for (int i = 0; i < r.rows(); ++i) {
      const std::string_view kind = r.view(i, 0);
      (kind == "n" ? taken_names : kind == "u" ? taken_uids : taken_emails).insert(r.text(i, 1));
    }
    for (std::size_t i = start; i < end; ++i) {
      if (taken_names.count(rows[i].user.username)) return FirstConflict{i, "users.username"};
      if (taken_uids.count(std::to_string(rows[i].user.uid))) return FirstConflict{i, "users.uid"};
      if (email_keys[i] && taken_emails.count(*email_keys[i])) return FirstConflict{i, "users.email_key"};
    }
  }
  return std::nullopt;
}

// The columns of a batch of users rows, one array each, as the unnest() of kInsertUsers takes them.
struct UserArrays {
  ArrayLiteral ids, names, uids, display, emails, keys, hashes, disabled, created_at, updated_at, created_by,
      updated_by, versions, attrs, name_keys, attrs_keys, gids, homes, shells;

  void add(const NewUserRow& row, const std::optional<std::string>& email_key) {
    const model::User& user = row.user;
    ids.add(user.id);
    names.add(user.username);
    uids.add(user.uid);
    display.add(user.name);
    emails.add(user.email);
    keys.add(email_key);
    hashes.add(row.password_hash);
    disabled.add(std::int64_t{user.disabled});
    created_at.add(user.created_at);
    updated_at.add(user.updated_at);
    created_by.add(user.created_by);
    updated_by.add(user.updated_by);
    versions.add(user.version);
    attrs.add(attrs_json(user.attrs));
    name_keys.add(name_key(user));
    attrs_keys.add(attrs_key(user));
    gids.add(user.gid);
    homes.add(user.home);
    shells.add(user.shell);
  }

  Params params() const {
    Params params;
    for (const ArrayLiteral* column :
         {&ids, &names, &uids, &display, &emails, &keys, &hashes, &disabled, &created_at, &updated_at,
          &created_by, &updated_by, &versions, &attrs, &name_keys, &attrs_keys, &gids, &homes, &shells}) {
      params.add(column->str());
    }
    return params;
  }
};

constexpr const char* kInsertUsers =
    "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, "
    "updated_at, created_by, updated_by, version, attrs, name_key, attrs_key, gid, home, shell) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], "
    "$7::text[], $8::integer[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], "
    "$14::jsonb[], $15::text[], $16::text[], $17::bigint[], $18::text[], $19::text[])";

void insert_batch(Connection& db, std::vector<NewUserRow>& rows, std::size_t start, std::size_t end,
                  const std::vector<std::optional<std::string>>& email_keys) {
  UserArrays users;
  ArrayLiteral member_groups, member_users;
  for (std::size_t i = start; i < end; ++i) {
    users.add(rows[i], email_keys[i]);
    for (const auto group_id : rows[i].group_ids) {
      member_groups.add(group_id);
      member_users.add(rows[i].user.id);
    }
  }
  db.exec(kInsertUsers, users.params());
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
  // As the SQLite store does, the rows before a conflicting one are written: the caller may go on
  // past it (to report every problem of a file) and later rows must meet them.
  const std::size_t clean = conflict ? conflict->row : rows.size();

  // Ids continue from the highest, as single inserts assign them.
  std::int64_t next_id = db.exec("SELECT coalesce(max(id), 0) + 1 FROM users").int64(0, 0);
  for (std::size_t i = 0; i < clean; ++i) rows[i].user.id = next_id++;
  for (std::size_t start = 0; start < clean; start += kBatch) {
    try {
      insert_batch(db, rows, start, std::min(clean, start + kBatch), email_keys);
    } catch (const Conflict& conflict_in_batch) {
      // Another unique rule (one an admin added on the server): name the batch's first row.
      throw RowConflict(start, conflict_in_batch.what());
    }
  }
  if (conflict) throw RowConflict(conflict->row, "database: UNIQUE constraint failed: " + conflict->column);
}

}  // namespace usersctl::store::postgres
