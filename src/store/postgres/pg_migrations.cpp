#include "store/postgres/pg_migrations.hpp"

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_rows.hpp"

namespace usersctl::store::postgres {

// One row, whatever happens: the primary key admits only `true`.
const char* const kSchemaTableSql = R"sql(
CREATE TABLE IF NOT EXISTS usersctl_schema (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   integer NOT NULL
);
INSERT INTO usersctl_schema (version) VALUES (0) ON CONFLICT DO NOTHING;
)sql";

namespace {

// 1: users, groups and memberships, as in the SQLite store. Text is COLLATE "C" so that order
// and comparisons are byte order, as SQLite's, whatever the cluster's locale. Ids are assigned
// by the store (highest plus one, under the writer lock), as SQLite's rowids are. Attributes
// are a jsonb object (GIN-indexed for `--where attrs.K=V`). The *_key columns hold
// util::fold_case copies computed in C++: the folding is the service's, not the server's locale.
constexpr const char* kSchema1 = R"sql(
CREATE TABLE users (
  id            bigint PRIMARY KEY,
  username      text COLLATE "C" NOT NULL UNIQUE,
  uid           bigint NOT NULL UNIQUE,
  name          text COLLATE "C" NOT NULL DEFAULT '',
  email         text COLLATE "C",
  email_key     text COLLATE "C" UNIQUE,
  password_hash text,
  disabled      integer NOT NULL DEFAULT 0,
  created_at    text COLLATE "C" NOT NULL,
  updated_at    text COLLATE "C" NOT NULL,
  created_by    text COLLATE "C" NOT NULL,
  updated_by    text COLLATE "C" NOT NULL,
  version       bigint NOT NULL DEFAULT 1,
  attrs         jsonb NOT NULL DEFAULT '{}',
  name_key      text COLLATE "C" NOT NULL DEFAULT '',
  attrs_key     text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX users_by_attrs ON users USING gin (attrs jsonb_path_ops);
CREATE TABLE usergroups (
  id          bigint PRIMARY KEY,
  name        text COLLATE "C" NOT NULL UNIQUE,
  gid         bigint NOT NULL UNIQUE,
  description text COLLATE "C" NOT NULL DEFAULT '',
  created_at  text COLLATE "C" NOT NULL,
  updated_at  text COLLATE "C" NOT NULL,
  created_by  text COLLATE "C" NOT NULL,
  updated_by  text COLLATE "C" NOT NULL,
  version     bigint NOT NULL DEFAULT 1
);
CREATE TABLE memberships (
  group_id bigint NOT NULL REFERENCES usergroups(id) ON DELETE CASCADE,
  user_id  bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships(user_id, group_id);
)sql";

// 2: the transactional outbox. Events are written in the transaction of their change, with a
// delivery row per matching hook, so nothing committed can miss its delivery.
constexpr const char* kSchema2 = R"sql(
CREATE TABLE events (
  sequence bigint PRIMARY KEY,
  id       text COLLATE "C" NOT NULL UNIQUE,
  type     text COLLATE "C" NOT NULL,
  time     text COLLATE "C" NOT NULL,
  body     text NOT NULL
);
CREATE INDEX events_by_type ON events(type, sequence);
CREATE TABLE hooks (
  id          bigint PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('url', 'exec')),
  target      text NOT NULL,
  secret      text,
  types       text NOT NULL DEFAULT '*',
  disabled    integer NOT NULL DEFAULT 0,
  lease_until bigint NOT NULL DEFAULT 0,
  created_at  text COLLATE "C" NOT NULL,
  created_by  text COLLATE "C" NOT NULL
);
CREATE TABLE deliveries (
  hook_id         bigint NOT NULL REFERENCES hooks(id) ON DELETE CASCADE,
  sequence        bigint NOT NULL REFERENCES events(sequence),
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_ms bigint NOT NULL,
  last_error      text,
  delivered_at    text,
  PRIMARY KEY (hook_id, sequence)
);
CREATE INDEX deliveries_by_state ON deliveries(state, hook_id, sequence);
CREATE INDEX deliveries_by_sequence ON deliveries(sequence);
)sql";

// 3: substring search: trigram GIN indexes (pg_trgm, a trusted extension a database owner may
// create) over the folded copies, so `LIKE '%text%'` finds rows without a scan.
constexpr const char* kSchema3 = R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_username ON users USING gin (username gin_trgm_ops);
CREATE INDEX users_search_name ON users USING gin (name_key gin_trgm_ops);
CREATE INDEX users_search_email ON users USING gin (email_key gin_trgm_ops);
CREATE INDEX users_search_attrs ON users USING gin (attrs_key gin_trgm_ops);
)sql";

// 4: POSIX accounts (issue 14), as SQLite's migration 5: gid, home and shell become fields (from
// the attributes of those names, else what `export --format passwd` wrote), the settings and SSH
// keys. attrs_key (a C++ fold) is recomputed by after_migration().
constexpr const char* kSchema4 = R"sql(
ALTER TABLE users ADD COLUMN gid bigint NOT NULL DEFAULT 0,
  ADD COLUMN home text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN shell text COLLATE "C" NOT NULL DEFAULT '';
UPDATE users u SET
  gid = coalesce((SELECT g.gid FROM usergroups g WHERE g.name = u.username), u.uid),
  home = coalesce(nullif(u.attrs->>'home', ''), '/home/' || u.username),
  shell = coalesce(nullif(u.attrs->>'shell', ''), '/bin/sh'),
  attrs = u.attrs - 'home' - 'shell';
CREATE INDEX users_by_gid ON users(gid);
CREATE TABLE settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL
);
CREATE TABLE ssh_keys (
  id          bigint PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type        text COLLATE "C" NOT NULL,
  key_base64  text COLLATE "C" NOT NULL,
  comment     text COLLATE "C" NOT NULL DEFAULT '',
  fingerprint text COLLATE "C" NOT NULL,
  added_at    text COLLATE "C" NOT NULL,
  UNIQUE (user_id, fingerprint)
);
)sql";

// 5: hooks that can be managed (issue 15), as SQLite's migration 6: hook ids come from an
// identity column, which never hands out an id twice (a script holding a removed hook's id must
// never reach a newer hook), starting past the highest id in use; a hook may have a unique name.
constexpr const char* kSchema5 = R"sql(
ALTER TABLE hooks ADD COLUMN name text COLLATE "C" UNIQUE;
ALTER TABLE hooks ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('hooks', 'id'), coalesce(max(id), 0) + 1, false) FROM hooks;
)sql";

// 6: hooks after issue 20, as SQLite's migration 7: a lease with an owner, and each hook's own
// attempt timeout (hook add --timeout).
constexpr const char* kSchema6 = R"sql(
ALTER TABLE hooks ADD COLUMN lease_owner text COLLATE "C";
ALTER TABLE hooks ADD COLUMN timeout_seconds bigint NOT NULL DEFAULT 30;
)sql";

// 7: account history (issue 17), as SQLite's migration 8: each event names the surrogate ids of
// the records it is about and its subject; the recycle bin and the validity window.
constexpr const char* kSchema7 = R"sql(
ALTER TABLE events ADD COLUMN user_id bigint, ADD COLUMN group_id bigint,
  ADD COLUMN subject text COLLATE "C" NOT NULL DEFAULT '';
UPDATE events SET subject = coalesce(body::jsonb->>'subject', '');
CREATE INDEX events_by_user ON events(user_id, sequence) WHERE user_id IS NOT NULL;
CREATE INDEX events_by_group ON events(group_id, sequence) WHERE group_id IS NOT NULL;
CREATE INDEX events_by_subject ON events(subject, sequence);
CREATE INDEX events_by_time ON events(time);
ALTER TABLE users ADD COLUMN valid_from text COLLATE "C", ADD COLUMN expires_at text COLLATE "C",
  ADD COLUMN password_changed_at text COLLATE "C", ADD COLUMN deleted_at text COLLATE "C",
  ADD COLUMN deleted_by text COLLATE "C", ADD COLUMN deleted_name text COLLATE "C";
ALTER TABLE usergroups ADD COLUMN deleted_at text COLLATE "C", ADD COLUMN deleted_by text COLLATE "C",
  ADD COLUMN deleted_name text COLLATE "C";
)sql";

// 8: resumable consumers (issue 19), as SQLite's migration 9: a cursor row per consumer name with
// its batch lease and retry state, the dead letters set aside after --max-attempts, and the actor
// a hook skips (hook add --exclude-actor), the old secret of a rotation, and a NOTIFY on
// usersctl_events for every statement appending events (events tail|consume --follow wake on it;
// delivered at commit, one per transaction; since 10 the COMMIT sends it, not a trigger).
constexpr const char* kSchema8 = R"sql(
CREATE TABLE consumers (
  name            text COLLATE "C" PRIMARY KEY,
  cursor_seq      bigint NOT NULL DEFAULT 0,
  lease_owner     text COLLATE "C",
  lease_until     bigint NOT NULL DEFAULT 0,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_ms bigint NOT NULL DEFAULT 0,
  last_error      text,
  created_at      text COLLATE "C" NOT NULL
);
CREATE TABLE consumer_dead_letters (
  consumer  text COLLATE "C" NOT NULL REFERENCES consumers(name) ON DELETE CASCADE,
  sequence  bigint NOT NULL REFERENCES events(sequence),
  attempts  integer NOT NULL,
  error     text,
  dead_at   text COLLATE "C" NOT NULL,
  requeued  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer, sequence)
);
ALTER TABLE hooks ADD COLUMN exclude_actor text COLLATE "C";
ALTER TABLE hooks ADD COLUMN old_secret text;
ALTER TABLE hooks ADD COLUMN old_secret_until bigint NOT NULL DEFAULT 0;
CREATE FUNCTION usersctl_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('usersctl_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT
  EXECUTE FUNCTION usersctl_notify_events();
)sql";

// 9: the recycle bin by index (issue 16): every command that committed a change looks for
// expired binned records (recycle_days), which scanned the whole users table — 0.1 s an `add` at
// a million users, seconds after an import.
constexpr const char* kSchema9 = R"sql(
CREATE INDEX users_binned ON users(deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX usergroups_binned ON usergroups(deleted_at, id) WHERE deleted_at IS NOT NULL;
)sql";

// 10: the NOTIFY on usersctl_events is sent by the COMMIT of a transaction that appended events
// (pg_database.cpp), no longer by a trigger: the trigger's plpgsql function cost every writing
// session about 1.5 ms on the server (loading plpgsql and compiling the function), as much as the
// rest of an `add` on the events table. Delivered as before: at commit, one per transaction.
constexpr const char* kSchema10 = R"sql(
DROP TRIGGER events_notify ON events;
DROP FUNCTION usersctl_notify_events();
)sql";

constexpr const char* kMigrations[] = {kSchema1, kSchema2, kSchema3, kSchema4, kSchema5,
                                       kSchema6, kSchema7, kSchema8, kSchema9, kSchema10};

}  // namespace

std::span<const char* const> migrations() { return kMigrations; }

void after_migrations(Connection& db, int from_version) {
  if (from_version >= 4) return;
  db.for_each_row("SELECT id, attrs::text FROM users WHERE attrs_key <> ''", {},
                  [&](const Result& r, int row) {
                    model::User user;
                    user.attrs = parse_attrs_json(r.view(row, 1));
                    db.exec("UPDATE users SET attrs_key = $1 WHERE id = $2",
                            Params().add(attrs_key(user)).add(r.int64(row, 0)));
                  });
}

}  // namespace usersctl::store::postgres
