#include "store/sqlite/migrations.hpp"

#include <string>

namespace usersctl::store::sqlite {

namespace {

// 1: users, attributes, groups and memberships. Rows are keyed by surrogate ids so renames
// keep memberships; email_key is the case-folded email, unique when present.
constexpr const char* kSchema1 = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  uid           INTEGER NOT NULL UNIQUE,
  name          TEXT NOT NULL DEFAULT '',
  email         TEXT,
  email_key     TEXT UNIQUE,
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE user_attrs (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX user_attrs_by_value ON user_attrs(key, value);
CREATE TABLE usergroups (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  gid         INTEGER NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE memberships (
  group_id INTEGER NOT NULL REFERENCES usergroups(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships(user_id, group_id);
)sql";

// The columns of the hooks table after its id (and, from 6, its name), as 2 created them and 6 kept
// them when it rebuilt the table.
constexpr const char* kHookColumns = R"sql(  kind        TEXT NOT NULL CHECK (kind IN ('url', 'exec')),
  target      TEXT NOT NULL,
  secret      TEXT,
  types       TEXT NOT NULL DEFAULT '*',
  disabled    INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
)sql";

// The deliveries table, as migration 2 creates it and migration 6 rebuilds it unchanged (to point
// it at the rebuilt hooks table).
constexpr const char* kDeliveriesTable = R"sql(CREATE TABLE deliveries (
  hook_id         INTEGER NOT NULL REFERENCES hooks(id) ON DELETE CASCADE,
  sequence        INTEGER NOT NULL REFERENCES events(sequence),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error      TEXT,
  delivered_at    TEXT,
  PRIMARY KEY (hook_id, sequence)
) WITHOUT ROWID;
)sql";

// 2: the transactional outbox. Events are written in the transaction of their change;
// each matching hook gets a delivery row in that same transaction, so nothing committed
// can miss its delivery.
constexpr const char* kSchema2 = R"sql(
CREATE TABLE events (
  sequence INTEGER PRIMARY KEY,
  id       TEXT NOT NULL UNIQUE,
  type     TEXT NOT NULL,
  time     TEXT NOT NULL,
  body     TEXT NOT NULL
);
CREATE INDEX events_by_type ON events(type, sequence);
CREATE TABLE hooks (
  id          INTEGER PRIMARY KEY,
)sql";

constexpr const char* kSchema2Deliveries =
    R"sql(CREATE INDEX deliveries_by_state ON deliveries(state, hook_id, sequence);
CREATE INDEX deliveries_by_sequence ON deliveries(sequence);
)sql";

// 3: substring search. An FTS5 trigram index over the searchable text of each user, kept
// in step by triggers inside the same transactions as the rows it mirrors. Attribute
// values are joined by newlines, which no search text may contain.
constexpr const char* kSchema3 = R"sql(
CREATE VIRTUAL TABLE user_search USING fts5(username, name, email, attrs, tokenize = 'trigram');
INSERT INTO user_search (rowid, username, name, email, attrs)
  SELECT u.id, u.username, u.name, coalesce(u.email, ''),
         coalesce((SELECT group_concat(a.value, char(10)) FROM user_attrs a WHERE a.user_id = u.id), '')
  FROM users u;
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
  INSERT INTO user_search (rowid, username, name, email, attrs)
    VALUES (new.id, new.username, new.name, coalesce(new.email, ''), '');
END;
CREATE TRIGGER users_search_update AFTER UPDATE OF username, name, email ON users BEGIN
  UPDATE user_search SET username = new.username, name = new.name, email = coalesce(new.email, '')
    WHERE rowid = new.id;
END;
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
  DELETE FROM user_search WHERE rowid = old.id;
END;
)sql";

// Migration 3's three triggers on user_attrs: whatever the change, the user's attribute text in
// the index is recomputed from its rows (`row` is new or old, the row that names the user).
std::string attrs_search_trigger(const char* name, const char* event, const char* row) {
  const std::string user = std::string(row) + ".user_id";
  return std::string("CREATE TRIGGER user_attrs_search_") + name + " AFTER " + event +
         " ON user_attrs BEGIN\n" + "  UPDATE user_search SET attrs = coalesce(\n" +
         "      (SELECT group_concat(value, char(10)) FROM user_attrs WHERE user_id = " + user + "), '')\n" +
         "    WHERE rowid = " + user + ";\nEND;\n";
}

// 4: each user's attributes also kept on its row, in the form rows are read in, so that
// listing a million users reads no second table per row. Triggers keep the copy in step
// with user_attrs (which stays the source for filters and search), whoever writes.
constexpr const char* kSchema4 = R"sql(
ALTER TABLE users ADD COLUMN attrs_text TEXT NOT NULL DEFAULT '';
UPDATE users SET attrs_text = coalesce(
  (SELECT group_concat(a.key || char(31) || a.value, char(30)) FROM user_attrs a WHERE a.user_id = users.id), '');
CREATE TRIGGER user_attrs_text_insert AFTER INSERT ON user_attrs BEGIN
  UPDATE users SET attrs_text = coalesce((SELECT group_concat(a.key || char(31) || a.value, char(30))
    FROM user_attrs a WHERE a.user_id = new.user_id), '') WHERE id = new.user_id;
END;
CREATE TRIGGER user_attrs_text_update AFTER UPDATE ON user_attrs BEGIN
  UPDATE users SET attrs_text = coalesce((SELECT group_concat(a.key || char(31) || a.value, char(30))
    FROM user_attrs a WHERE a.user_id = new.user_id), '') WHERE id = new.user_id;
END;
CREATE TRIGGER user_attrs_text_delete AFTER DELETE ON user_attrs BEGIN
  UPDATE users SET attrs_text = coalesce((SELECT group_concat(a.key || char(31) || a.value, char(30))
    FROM user_attrs a WHERE a.user_id = old.user_id), '') WHERE id = old.user_id;
END;
)sql";

// 5: POSIX accounts (issue 14). gid, home and shell become fields: home and shell come from the
// attributes of those names (which leave the attributes, triggers updating the copies), else
// what `export --format passwd` wrote for them; gid is the same-named group's, else the uid (the
// user private group), as that export did. Also the database-wide settings and SSH keys.
constexpr const char* kSchema5 = R"sql(
ALTER TABLE users ADD COLUMN gid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN home TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN shell TEXT NOT NULL DEFAULT '';
UPDATE users SET
  gid = coalesce((SELECT g.gid FROM usergroups g WHERE g.name = users.username), users.uid),
  home = coalesce((SELECT nullif(a.value, '') FROM user_attrs a WHERE a.user_id = users.id AND a.key = 'home'),
                  '/home/' || users.username),
  shell = coalesce((SELECT nullif(a.value, '') FROM user_attrs a WHERE a.user_id = users.id AND a.key = 'shell'),
                   '/bin/sh');
DELETE FROM user_attrs WHERE key IN ('home', 'shell');
CREATE INDEX users_by_gid ON users(gid);
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE ssh_keys (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  key_base64  TEXT NOT NULL,
  comment     TEXT NOT NULL DEFAULT '',
  fingerprint TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  UNIQUE (user_id, fingerprint)
);
)sql";

// 6: hooks that can be managed (issue 15). Hook ids are never reused (AUTOINCREMENT: a script
// holding a removed hook's id must never reach a newer hook) and a hook may have a unique name.
// SQLite cannot add AUTOINCREMENT to a table, so hooks is rebuilt; its deliveries are set aside
// and dropped first, as dropping hooks would cascade to them (foreign keys are on).
constexpr const char* kSchema6 = R"sql(
CREATE TEMP TABLE saved_hooks AS SELECT * FROM hooks;
CREATE TEMP TABLE saved_deliveries AS SELECT * FROM deliveries;
DROP TABLE deliveries;
DROP TABLE hooks;
CREATE TABLE hooks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT UNIQUE,
)sql";

constexpr const char* kSchema6Hooks =
    R"sql(INSERT INTO hooks (id, kind, target, secret, types, disabled, lease_until, created_at, created_by)
  SELECT id, kind, target, secret, types, disabled, lease_until, created_at, created_by FROM saved_hooks;
)sql";

// 6 goes on after the deliveries table, rebuilt as 2 made it (kDeliveriesTable).
constexpr const char* kSchema6Restore =
    R"sql(INSERT INTO deliveries (hook_id, sequence, state, attempts, next_attempt_ms, last_error, delivered_at)
  SELECT hook_id, sequence, state, attempts, next_attempt_ms, last_error, delivered_at FROM saved_deliveries;
CREATE INDEX deliveries_by_state ON deliveries(state, hook_id, sequence);
CREATE INDEX deliveries_by_sequence ON deliveries(sequence);
DROP TABLE saved_deliveries;
DROP TABLE saved_hooks;
)sql";

// 7: hooks after issue 20: a lease with an owner (a deliverer renews and releases only the
// lease it holds, never one another process took over after it expired), and each hook's own
// attempt timeout (hook add --timeout).
constexpr const char* kSchema7 = R"sql(
ALTER TABLE hooks ADD COLUMN lease_owner TEXT;
ALTER TABLE hooks ADD COLUMN timeout_seconds INTEGER NOT NULL DEFAULT 30;
)sql";

// 8: account history (issue 17). Each event names the surrogate ids of the records it is about,
// so `history` follows a record through renames, and its subject, so `show --as-of` finds a
// name's record. Older events keep their subject; their records are not known (no ids).
// Also the recycle bin (a binned row keeps its uid, so it is never reallocated, and gives up
// its name: username becomes a tombstone no name can equal, the name waits in deleted_name)
// and the account's validity window.
constexpr const char* kSchema8 = R"sql(
ALTER TABLE events ADD COLUMN user_id INTEGER;
ALTER TABLE events ADD COLUMN group_id INTEGER;
ALTER TABLE events ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE events SET subject = coalesce(json_extract(body, '$.subject'), '');
CREATE INDEX events_by_user ON events(user_id, sequence) WHERE user_id IS NOT NULL;
CREATE INDEX events_by_group ON events(group_id, sequence) WHERE group_id IS NOT NULL;
CREATE INDEX events_by_subject ON events(subject, sequence);
CREATE INDEX events_by_time ON events(time);
ALTER TABLE users ADD COLUMN valid_from TEXT;
ALTER TABLE users ADD COLUMN expires_at TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE users ADD COLUMN deleted_at TEXT;
ALTER TABLE users ADD COLUMN deleted_by TEXT;
ALTER TABLE users ADD COLUMN deleted_name TEXT;
ALTER TABLE usergroups ADD COLUMN deleted_at TEXT;
ALTER TABLE usergroups ADD COLUMN deleted_by TEXT;
ALTER TABLE usergroups ADD COLUMN deleted_name TEXT;
)sql";

// 9: resumable consumers (issue 19): one cursor row per consumer name, its batch lease (owner
// token and expiry, so two processes never hand out one batch at once) and the retry state of
// the batch at the cursor; events set aside after --max-attempts wait in consumer_dead_letters.
constexpr const char* kSchema9 = R"sql(
CREATE TABLE consumers (
  name            TEXT PRIMARY KEY,
  cursor_seq      INTEGER NOT NULL DEFAULT 0,
  lease_owner     TEXT,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      TEXT NOT NULL
);
CREATE TABLE consumer_dead_letters (
  consumer  TEXT NOT NULL REFERENCES consumers(name) ON DELETE CASCADE,
  sequence  INTEGER NOT NULL REFERENCES events(sequence),
  attempts  INTEGER NOT NULL,
  error     TEXT,
  dead_at   TEXT NOT NULL,
  requeued  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer, sequence)
) WITHOUT ROWID;
ALTER TABLE hooks ADD COLUMN exclude_actor TEXT;
ALTER TABLE hooks ADD COLUMN old_secret TEXT;
ALTER TABLE hooks ADD COLUMN old_secret_until INTEGER NOT NULL DEFAULT 0;
)sql";

// 10: `list --where attrs.KEY=VALUE` in list's order (issue 16). Each attribute row carries its
// user's name, kept in step by triggers, and the (key, value) index gains it, so the matching
// users come out of one index range already ordered by username: --limit 50 reads 50 entries
// whatever the share of users that match. The update triggers of migration 3 and 4 now watch only
// the columns their copies are made of (filling in the names must not rewrite every copy).
constexpr const char* kSchema10 = R"sql(
DROP TRIGGER user_attrs_search_update;
DROP TRIGGER user_attrs_text_update;
CREATE TRIGGER user_attrs_search_update AFTER UPDATE OF user_id, key, value ON user_attrs BEGIN
  UPDATE user_search SET attrs = coalesce(
      (SELECT group_concat(value, char(10)) FROM user_attrs WHERE user_id = new.user_id), '')
    WHERE rowid = new.user_id;
END;
CREATE TRIGGER user_attrs_text_update AFTER UPDATE OF user_id, key, value ON user_attrs BEGIN
  UPDATE users SET attrs_text = coalesce((SELECT group_concat(a.key || char(31) || a.value, char(30))
    FROM user_attrs a WHERE a.user_id = new.user_id), '') WHERE id = new.user_id;
END;
ALTER TABLE user_attrs ADD COLUMN username TEXT;
UPDATE user_attrs SET username = (SELECT u.username FROM users u WHERE u.id = user_attrs.user_id);
DROP INDEX user_attrs_by_value;
CREATE INDEX user_attrs_in_list_order ON user_attrs(key, value, username);
CREATE TRIGGER user_attrs_username_insert AFTER INSERT ON user_attrs
  WHEN new.username IS NOT (SELECT u.username FROM users u WHERE u.id = new.user_id) BEGIN
  UPDATE user_attrs SET username = (SELECT u.username FROM users u WHERE u.id = new.user_id)
    WHERE user_id = new.user_id AND key = new.key;
END;
CREATE TRIGGER users_attrs_username_update AFTER UPDATE OF username ON users
  WHEN new.username IS NOT old.username BEGIN
  UPDATE user_attrs SET username = new.username WHERE user_id = new.id;
END;
)sql";

// 11: the recycle bin by index (issue 16). Every change ends with a look for binned rows past
// recycle_days; without an index that read every users row (a million page reads per `add` at a
// million users). Partial indexes hold only the binned rows, in the order the bin is listed.
constexpr const char* kSchema11 = R"sql(
CREATE INDEX users_binned ON users(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX usergroups_binned ON usergroups(deleted_at) WHERE deleted_at IS NOT NULL;
)sql";

}  // namespace

std::span<const char* const> migrations() {
  static const std::string schema2 =
      std::string(kSchema2) + kHookColumns + kDeliveriesTable + kSchema2Deliveries;
  static const std::string schema3 = kSchema3 + attrs_search_trigger("insert", "INSERT", "new") +
                                     attrs_search_trigger("update", "UPDATE", "new") +
                                     attrs_search_trigger("delete", "DELETE", "old");
  static const std::string schema6 =
      std::string(kSchema6) + kHookColumns + kSchema6Hooks + kDeliveriesTable + kSchema6Restore;
  static const char* const steps[] = {kSchema1, schema2.c_str(), schema3.c_str(), kSchema4,
                                      kSchema5, schema6.c_str(), kSchema7,        kSchema8,
                                      kSchema9, kSchema10,       kSchema11};
  return steps;
}

}  // namespace usersctl::store::sqlite
