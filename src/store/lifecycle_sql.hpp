#pragma once
// Account lifecycle statements both backends run as they are (the conventions of
// shared_sql.hpp): the validity window and the time the password was last set.

namespace usersctl::store::lifecycle_sql {

// The window columns of user $4, written apart from the row's other columns so that the bulk
// insert paths (which create users without a window) stay as they are.
inline constexpr const char* kSetUserWindow =
    "UPDATE users SET valid_from = $1, expires_at = $2, password_changed_at = $3 WHERE id = $4";

// The columns user_select_sql() appends from 17 on, read by read_lifecycle_columns().
#define USERSCTL_USER_WINDOW_COLUMNS \
  ", u.valid_from, u.expires_at, u.password_changed_at, u.deleted_at, u.deleted_by, u.deleted_name"
// The columns group_select_sql() appends from 10 on.
#define USERSCTL_GROUP_BIN_COLUMNS ", g.deleted_at, g.deleted_by, g.deleted_name"

// Parameters in order of first use ($1 first), as SQLite numbers them so.
// The recycle bin, one statement for both tables (`table`, its `name` column, its alias `t`): a
// binned row's name becomes a tombstone ('#' and its id) no valid name can equal, so the unique
// name index frees the name and every lookup by name passes it by.
#define USERSCTL_BIN(table, name) \
  "UPDATE " table " SET deleted_at = $1, deleted_by = $2, deleted_name = " name ", " name " = '#' || id"
#define USERSCTL_UNBIN(table, name) \
  "UPDATE " table " SET " name      \
  " = $1, deleted_name = NULL, deleted_at = NULL, deleted_by = NULL WHERE id = $2"
#define USERSCTL_FIND_BINNED(t)                                                                        \
  " WHERE " t ".deleted_name = $1 AND " t ".deleted_at IS NOT NULL ORDER BY " t ".deleted_at DESC, " t \
  ".id DESC LIMIT 1"
#define USERSCTL_BINNED(t) " WHERE " t ".deleted_at IS NOT NULL ORDER BY " t ".deleted_at, " t ".id"
inline constexpr const char* kBinUser = USERSCTL_BIN("users", "username") ", email_key = NULL WHERE id = $3";
inline constexpr const char* kUnbinUser = USERSCTL_UNBIN("users", "username");
inline constexpr const char* kFindBinnedUser = USERSCTL_FIND_BINNED("u");
inline constexpr const char* kBinnedUsers = USERSCTL_BINNED("u");
inline constexpr const char* kBinGroup = USERSCTL_BIN("usergroups", "name") " WHERE id = $3";
inline constexpr const char* kUnbinGroup = USERSCTL_UNBIN("usergroups", "name");
inline constexpr const char* kFindBinnedGroup = USERSCTL_FIND_BINNED("g");
inline constexpr const char* kBinnedGroups = USERSCTL_BINNED("g");
#undef USERSCTL_BIN
#undef USERSCTL_UNBIN
#undef USERSCTL_FIND_BINNED
#undef USERSCTL_BINNED

// When a row goes for good its id may be handed out again (highest plus one): its events keep
// its history under the negated id, where `history NAME` still finds them by subject and no
// newcomer's history can inherit them.
inline constexpr const char* kOrphanUserEvents = "UPDATE events SET user_id = -user_id WHERE user_id = $1";
inline constexpr const char* kOrphanGroupEvents =
    "UPDATE events SET group_id = -group_id WHERE group_id = $1";
// When the user or group longest in the bin went there (NULL: the bin is empty); the partial
// indexes users_binned and usergroups_binned answer it without touching the tables.
inline constexpr const char* kOldestBinned =
    "SELECT min(t) FROM (SELECT min(deleted_at) AS t FROM users WHERE deleted_at IS NOT NULL UNION ALL "
    "SELECT min(deleted_at) FROM usergroups WHERE deleted_at IS NOT NULL) binned";

}  // namespace usersctl::store::lifecycle_sql
