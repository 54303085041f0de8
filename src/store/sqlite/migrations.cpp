#include "store/sqlite/migrations.hpp"

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
  kind        TEXT NOT NULL CHECK (kind IN ('url', 'exec')),
  target      TEXT NOT NULL,
  secret      TEXT,
  types       TEXT NOT NULL DEFAULT '*',
  disabled    INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE TABLE deliveries (
  hook_id         INTEGER NOT NULL REFERENCES hooks(id) ON DELETE CASCADE,
  sequence        INTEGER NOT NULL REFERENCES events(sequence),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error      TEXT,
  delivered_at    TEXT,
  PRIMARY KEY (hook_id, sequence)
) WITHOUT ROWID;
CREATE INDEX deliveries_by_state ON deliveries(state, hook_id, sequence);
CREATE INDEX deliveries_by_sequence ON deliveries(sequence);
)sql";

constexpr const char* kMigrations[] = {kSchema1, kSchema2};

}  // namespace

std::span<const char* const> migrations() { return kMigrations; }

}  // namespace usersctl::store::sqlite
