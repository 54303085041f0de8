#include "store/postgres/pg_bulk_copy.hpp"

#include <algorithm>
#include <cstdlib>

#include "store/postgres/pg_copy.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store::postgres {

namespace {

constexpr std::size_t kDefaultCopyMinRows = 64;

void add_user_row(CopyRows& out, const NewUserRow& row, const std::optional<std::string>& email_key) {
  const model::User& user = row.user;
  out.add(user.id).add(user.username).add(user.uid).add(user.name).add(user.email).add(email_key);
  out.add(row.password_hash).add(std::int64_t{user.disabled}).add(user.created_at).add(user.updated_at);
  out.add(user.created_by).add(user.updated_by).add(user.version).add(attrs_json(user.attrs));
  out.add(name_key(user)).add(attrs_key(user)).add(user.gid).add(user.home).add(user.shell);
  out.end_row();
}

// The columns the INSERT of the row path writes, in the same order.
constexpr const char* kCopyUsers =
    "COPY users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, updated_at, "
    "created_by, updated_by, version, attrs, name_key, attrs_key, gid, home, shell) FROM STDIN";

}  // namespace

std::size_t copy_min_rows() {
  static const std::size_t rows = [] {
    const char* text = std::getenv("USERSCTL_PG_COPY_ROWS");
    const long long value = text ? std::atoll(text) : 0;
    return value > 0 ? static_cast<std::size_t>(value) : kDefaultCopyMinRows;
  }();
  return rows;
}

void copy_user_rows(Connection& db, const std::vector<NewUserRow>& rows, std::size_t start, std::size_t end,
                    const std::vector<std::optional<std::string>>& email_keys) {
  CopyRows users, memberships;
  for (std::size_t i = start; i < end; ++i) {
    add_user_row(users, rows[i], email_keys[i]);
    // A membership twice would break the key where the INSERT skipped it (ON CONFLICT DO NOTHING).
    std::vector<std::int64_t> groups = rows[i].group_ids;
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    for (const auto group_id : groups) {
      memberships.add(group_id).add(rows[i].user.id);
      memberships.end_row();
    }
  }
  db.copy_in(kCopyUsers, users.text());
  if (!memberships.empty()) db.copy_in("COPY memberships (group_id, user_id) FROM STDIN", memberships.text());
}

}  // namespace usersctl::store::postgres
