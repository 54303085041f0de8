// Opening a database of the schema before issue 14 (SQLite 4, PostgreSQL 3) with this binary:
// the migration makes attrs.home/attrs.shell the fields and gives every user a gid (the same-named
// group's, else the uid), as `export --format passwd` did before. And one of the schema before
// issue 15 (SQLite 5, PostgreSQL 4): hooks keep their ids, secrets and deliveries, and from then on
// a hook id is never reused.

#include <sqlite3.h>

#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "store/postgres/pg_migrations.hpp"
#include "store/sqlite/migrations.hpp"

namespace usersctl::e2e {
namespace {

constexpr std::size_t kOldSqliteSchema = 4;
constexpr std::size_t kOldPgSchema = 3;
constexpr std::size_t kPreHookNamesSqliteSchema = 5;
constexpr std::size_t kPreHookNamesPgSchema = 4;
constexpr int kSqliteSchema = 11;
constexpr int kPgSchema = 10;

// alice has home and shell attributes and no same-named group; bob has a same-named group (gid 777)
// and only another attribute.
const char* const kSqliteRows = R"sql(
INSERT INTO users (id, username, uid, name, email, email_key, disabled, created_at, updated_at, created_by,
                   updated_by, version)
  VALUES (1, 'alice', 1000, 'Alice', NULL, NULL, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
          'old', 'old', 3),
         (2, 'bob', 1001, '', NULL, NULL, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'old',
          'old', 1);
INSERT INTO user_attrs (user_id, key, value) VALUES (1, 'home', '/srv/alice'), (1, 'shell', '/bin/zsh'),
  (1, 'team', 'ops'), (2, 'room', '12');
INSERT INTO usergroups (id, name, gid, created_at, updated_at, created_by, updated_by)
  VALUES (1, 'bob', 777, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'old', 'old');
)sql";

const char* const kPgRows = R"sql(
INSERT INTO users (id, username, uid, name, disabled, created_at, updated_at, created_by, updated_by, version,
                   attrs, name_key, attrs_key)
  VALUES (1, 'alice', 1000, 'Alice', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'old', 'old',
          3, '{"home": "/srv/alice", "shell": "/bin/zsh", "team": "ops"}', 'alice', E'/srv/alice\n/bin/zsh\nops'),
         (2, 'bob', 1001, '', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'old', 'old', 1,
          '{"room": "12"}', '', '12');
INSERT INTO usergroups (id, name, gid, created_at, updated_at, created_by, updated_by)
  VALUES (1, 'bob', 777, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'old', 'old');
)sql";

// Two hooks (1 signed, 2 not) and one event: delivered to hook 1, pending for hook 2 (3 attempts).
const char* const kHookRows = R"sql(
INSERT INTO events (sequence, id, type, time, body)
  VALUES (1, 'e1', 'user.created', '2026-01-01T00:00:00.000Z', '{"sequence":"1"}');
INSERT INTO hooks (id, kind, target, secret, types, disabled, created_at, created_by)
  VALUES (1, 'url', 'http://127.0.0.1:9/a', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'user.*', 0,
          '2026-01-01T00:00:00.000Z', 'old'),
         (2, 'exec', 'cat >/dev/null', NULL, '*', 0, '2026-01-01T00:00:00.000Z', 'old');
INSERT INTO deliveries (hook_id, sequence, state, attempts, next_attempt_ms, last_error, delivered_at)
  VALUES (1, 1, 'delivered', 1, 0, NULL, '2026-01-01T00:00:01.000Z'),
         (2, 1, 'pending', 3, 4102444800000, 'exit status 1', NULL);
)sql";

void make_sqlite_at(const std::filesystem::path& path, std::size_t version, const char* rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto steps = store::sqlite::migrations();
  ASSERT_GT(steps.size(), version);
  std::string script;
  for (std::size_t i = 0; i < version; ++i) script += steps[i];
  script += rows;
  script += "PRAGMA user_version = " + std::to_string(version) + ";";
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

void make_pg_at(const std::string& url, std::size_t version, const char* rows) {
  PgSession session(url);
  const auto steps = store::postgres::migrations();
  ASSERT_GT(steps.size(), version);
  session.exec(store::postgres::kSchemaTableSql);
  for (std::size_t i = 0; i < version; ++i) session.exec(steps[i]);
  session.exec(rows);
  session.exec("UPDATE usersctl_schema SET version = " + std::to_string(version));
}

void make_old_sqlite(const std::filesystem::path& path) {
  make_sqlite_at(path, kOldSqliteSchema, kSqliteRows);
}

void make_old_pg(const std::string& url) { make_pg_at(url, kOldPgSchema, kPgRows); }

class MigrationTest : public E2eTest {
 protected:
  void make_old_database() {
    if (backend() == "sqlite") {
      make_old_sqlite(db_path());
    } else {
      make_old_pg(db_url());
    }
  }
  void make_database_before_hook_names() {
    if (backend() == "sqlite") {
      make_sqlite_at(db_path(), kPreHookNamesSqliteSchema, kHookRows);
    } else {
      make_pg_at(db_url(), kPreHookNamesPgSchema, kHookRows);
    }
  }
};
USERSCTL_E2E_INSTANTIATE(MigrationTest);

TEST_P(MigrationTest, OldUsersGetGidHomeAndShellFieldsAndLoseTheAttributes) {
  make_old_database();
  json alice = show_user("alice");
  EXPECT_EQ(alice["gid"], 1000) << "no group named alice: the uid";
  EXPECT_EQ(alice["home"], "/srv/alice");
  EXPECT_EQ(alice["shell"], "/bin/zsh");
  EXPECT_EQ(alice["attrs"], (json{{"team", "ops"}}));
  EXPECT_EQ(alice["ssh_keys"], json::array());
  EXPECT_EQ(alice["version"], 3) << "a migration is not a change";
  json bob = show_user("bob");
  EXPECT_EQ(bob["gid"], 777) << "the same-named group's gid";
  EXPECT_EQ(bob["home"], "/home/bob") << "what export --format passwd wrote";
  EXPECT_EQ(bob["shell"], "/bin/sh");
  EXPECT_EQ(bob["attrs"], (json{{"room", "12"}}));
  // The search index no longer holds the moved values; the rest still works.
  EXPECT_TRUE(parse_jsonl(cli({"search", "/srv/alice", "--in", "attrs"}).out).empty());
  EXPECT_EQ(parse_jsonl(cli({"search", "ops", "--in", "attrs"}).out).size(), 1u);
  // The new tables are there.
  EXPECT_EQ(cli({"settings", "get", "uid_range"}).out, "1000-59999\n");
  add_user("carol");
  EXPECT_EQ(show_user("carol")["uid"], 1002);
  json health = parse_json(cli({"health", "-o", "json"}).out);
  EXPECT_EQ(health["schema_version"], backend() == "sqlite" ? kSqliteSchema : kPgSchema);
  EXPECT_EQ(cli({"export", "--format", "passwd"}).out,
            "alice:x:1000:1000:Alice:/srv/alice:/bin/zsh\nbob:x:1001:777::/home/bob:/bin/sh\n"
            "carol:x:1002:1002::/home/carol:/bin/bash\n");
}

TEST_P(MigrationTest, OldHooksKeepTheirIdsSecretsAndDeliveriesAndNoIdIsReusedAfterwards) {
  make_database_before_hook_names();
  const RunResult list = cli({"hook", "list"});
  ASSERT_TRUE(Succeeded(list));
  auto hooks = parse_jsonl(list.out);
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0]["id"], 1);
  EXPECT_TRUE(hooks[0]["name"].is_null()) << hooks[0].dump();
  EXPECT_EQ(hooks[0]["target"], "http://127.0.0.1:9/a");
  EXPECT_EQ(hooks[0]["types"], "user.*");
  EXPECT_EQ(hooks[0]["signed"], true);
  EXPECT_EQ(hooks[1]["id"], 2);
  EXPECT_EQ(hooks[1]["kind"], "exec");
  auto status = parse_jsonl(cli({"events", "status"}).out);
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status[0]["delivered"], 1) << status[0].dump();
  EXPECT_EQ(status[1]["pending"], 1) << status[1].dump();
  EXPECT_EQ(status[1]["last_error"], "exit status 1") << status[1].dump();
  EXPECT_EQ(status[1]["next_attempt"], "2100-01-01T00:00:00.000Z") << status[1].dump();
  json health = parse_json(cli({"health", "-o", "json"}).out);
  EXPECT_EQ(health["schema_version"], backend() == "sqlite" ? kSqliteSchema : kPgSchema);

  // The highest hook goes; the next one added does not take its id.
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "remove", "2"})));
  const RunResult added = cli({"hook", "add", "--name", "crm", "--exec", "cat >/dev/null"});
  ASSERT_TRUE(MutationSucceeded(added));
  EXPECT_EQ(added.err, "usersctl: added hook 3 (crm)\n");
  EXPECT_TRUE(Failed(cli({"hook", "show", "2"}), 3));
  EXPECT_EQ(parse_json(cli({"hook", "show", "crm", "-o", "json"}).out)["id"], 3);
}

}  // namespace
}  // namespace usersctl::e2e
