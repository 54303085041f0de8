#pragma once
// Statements both backends run as they are. Parameters are written $1, $2, ... in order of first
// use: PostgreSQL's placeholders, and to SQLite named parameters that take the indexes 1, 2, ...
// in that order. No PostgreSQL casts (::) and no SQLite-only functions.

namespace usersctl::store::shared_sql {

// Over uids and gids together (one id space): the highest in [$1, $2).
inline constexpr const char* kHighestId =
    "SELECT max(id) FROM (SELECT uid AS id FROM users WHERE uid >= $1 AND uid < $2 "
    "UNION ALL SELECT gid FROM usergroups WHERE gid >= $1 AND gid < $2) ids";

// The lowest id in [$1, $2) that is neither a uid nor a gid: the range start when free, else the
// first whose predecessor is taken. Index lookups per taken id, no scan of a union.
inline constexpr const char* kLowestFreeId =
    "SELECT CAST($1 AS bigint) WHERE NOT EXISTS (SELECT 1 FROM users WHERE uid = $1) "
    "AND NOT EXISTS (SELECT 1 FROM usergroups WHERE gid = $1) "
    "UNION ALL SELECT t.id + 1 FROM (SELECT uid AS id FROM users WHERE uid >= $1 AND uid + 1 < $2 "
    "UNION ALL SELECT gid FROM usergroups WHERE gid >= $1 AND gid + 1 < $2) t "
    "WHERE NOT EXISTS (SELECT 1 FROM users n WHERE n.uid = t.id + 1) "
    "AND NOT EXISTS (SELECT 1 FROM usergroups m WHERE m.gid = t.id + 1) ORDER BY 1 LIMIT 1";

// The canonical authorized_keys line of the ssh_keys row `k`.
#define USERSCTL_SSH_KEY_LINE \
  "k.type || ' ' || k.key_base64 || CASE WHEN k.comment = '' THEN '' ELSE ' ' || k.comment END"
inline constexpr const char* kSshKeyLine = USERSCTL_SSH_KEY_LINE;

inline constexpr const char* kSshKeysOfUser =
    "SELECT type, key_base64, comment, fingerprint, added_at FROM ssh_keys WHERE user_id = $1 ORDER BY id";
inline constexpr const char* kInsertSshKey =
    "INSERT INTO ssh_keys (id, user_id, type, key_base64, comment, fingerprint, added_at) VALUES "
    "((SELECT coalesce(max(id), 0) + 1 FROM ssh_keys), $1, $2, $3, $4, $5, $6)";
inline constexpr const char* kDeleteSshKey = "DELETE FROM ssh_keys WHERE user_id = $1 AND fingerprint = $2";
// One query through the username index and the (user_id, fingerprint) index; the lines are
// assembled in SQL so that nothing but them crosses the connection.
inline constexpr const char* kAuthorizedKeys = "SELECT " USERSCTL_SSH_KEY_LINE
                                               " FROM users u JOIN ssh_keys k ON k.user_id = u.id WHERE "
                                               "u.username = $1 AND u.disabled = 0 ORDER BY k.id";

inline constexpr const char* kSetting = "SELECT value FROM settings WHERE key = $1";
inline constexpr const char* kSetSetting =
    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
    "excluded.value";

// Per hook: its pending, failed and delivered deliveries and the latest error (`hooks list`).
inline constexpr const char* kDeliveryCounts =
    "SELECT h.id, "
    "(SELECT count(*) FROM deliveries d WHERE d.hook_id = h.id AND d.state = 'pending'), "
    "(SELECT count(*) FROM deliveries d WHERE d.hook_id = h.id AND d.state = 'failed'), "
    "(SELECT count(*) FROM deliveries d WHERE d.hook_id = h.id AND d.state = 'delivered'), "
    "(SELECT d.last_error FROM deliveries d WHERE d.hook_id = h.id AND d.last_error IS NOT NULL "
    " ORDER BY d.sequence DESC LIMIT 1), "
    "h.name, h.disabled, "
    "(SELECT d.next_attempt_ms FROM deliveries d WHERE d.hook_id = h.id AND d.state = 'pending' "
    " ORDER BY d.sequence LIMIT 1) "
    "FROM hooks h ORDER BY h.id";

}  // namespace usersctl::store::shared_sql
