#include "store/postgres/pg_bulk_insert.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_bulk_copy.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store::postgres {

namespace {

constexpr std::size_t kBatch = 2000;

struct FirstConflict {
  std::size_t row = 0;
  std::string column;  // users.username, users.uid or users.email_key
};

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
                                         std::size_t count,
                                         const std::vector<std::optional<std::string>>& email_keys) {
  for (std::size_t start = 0; start < count; start += kBatch) {
    const std::size_t end = std::min(count, start + kBatch);
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

void insert_batch(Connection& db, const std::vector<NewUserRow>& rows, std::size_t start, std::size_t end,
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

// Ids continue from the highest, as single inserts assign them.
void assign_ids(Connection& db, std::vector<NewUserRow>& rows, std::size_t count) {
  std::int64_t next_id = db.exec("SELECT coalesce(max(id), 0) + 1 FROM users").int64(0, 0);
  for (std::size_t i = 0; i < count; ++i) rows[i].user.id = next_id++;
}

RowConflict unique_failed(const FirstConflict& conflict) {
  return RowConflict(conflict.row, "database: UNIQUE constraint failed: " + conflict.column);
}

// The INSERT path (small loads): every key checked first, so the first offending row is known
// without a failed statement; the rows before it are written.
void insert_checked(Connection& db, std::vector<NewUserRow>& rows,
                    const std::vector<std::optional<std::string>>& email_keys) {
  auto conflict = first_repeat(rows, email_keys);
  if (const auto taken = first_taken(db, rows, rows.size(), email_keys);
      taken && (!conflict || taken->row < conflict->row)) {
    conflict = taken;
  }
  const std::size_t clean = conflict ? conflict->row : rows.size();
  assign_ids(db, rows, clean);
  for (std::size_t start = 0; start < clean; start += kBatch) {
    try {
      insert_batch(db, rows, start, std::min(clean, start + kBatch), email_keys);
    } catch (const Conflict& conflict_in_batch) {
      // Another unique rule (one an admin added on the server): name the batch's first row.
      throw RowConflict(start, conflict_in_batch.what());
    }
  }
  if (conflict) throw unique_failed(*conflict);
}

// Rows [0, count) by COPY under a savepoint: false, with them undone, when the server refused one.
bool copy_guarded(Connection& db, std::vector<NewUserRow>& rows, std::size_t count,
                  const std::vector<std::optional<std::string>>& email_keys, std::string& refusal) {
  db.exec_script("SAVEPOINT usersctl_bulk");
  try {
    assign_ids(db, rows, count);
    for (std::size_t start = 0; start < count; start += kBatch) {
      copy_user_rows(db, rows, start, std::min(count, start + kBatch), email_keys);
    }
  } catch (const Conflict& conflict) {
    db.exec_script("ROLLBACK TO SAVEPOINT usersctl_bulk");
    refusal = conflict.what();
    return false;
  }
  db.exec_script("RELEASE SAVEPOINT usersctl_bulk");
  return true;
}

// The COPY path (large loads) promises what the INSERT path does, but optimistically: the
// database is asked which row holds a taken key only once the server refused the COPY (probing
// three indexes a row up front cost as much as the COPY itself).
void copy_checked(Connection& db, std::vector<NewUserRow>& rows,
                  const std::vector<std::optional<std::string>>& email_keys) {
  const auto repeat = first_repeat(rows, email_keys);
  const std::size_t clean = repeat ? repeat->row : rows.size();
  std::string refusal;
  if (clean > 0 && !copy_guarded(db, rows, clean, email_keys, refusal)) {
    const auto taken = first_taken(db, rows, clean, email_keys);
    if (!taken) throw RowConflict(0, refusal);  // a rule of the server's own: the first row
    if (taken->row > 0 && !copy_guarded(db, rows, taken->row, email_keys, refusal)) {
      throw RowConflict(0, refusal);
    }
    throw unique_failed(*taken);
  }
  if (repeat) throw unique_failed(*repeat);
}

}  // namespace

void insert_user_rows(Connection& db, std::vector<NewUserRow>& rows) {
  if (rows.empty()) return;
  std::vector<std::optional<std::string>> email_keys;
  email_keys.reserve(rows.size());
  for (const auto& row : rows) email_keys.push_back(email_key(row.user));
  // As the SQLite store does, the rows before a conflicting one are written: the caller may go on
  // past it (to report every problem of a file) and later rows must meet them.
  if (rows.size() >= copy_min_rows()) {
    copy_checked(db, rows, email_keys);
  } else {
    insert_checked(db, rows, email_keys);
  }
}

}  // namespace usersctl::store::postgres
