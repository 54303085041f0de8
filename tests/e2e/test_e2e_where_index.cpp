// `list --where attrs.KEY=VALUE` (issue 16): on SQLite the rows come from an index of attribute rows
// in username order (each row keeps a copy of its user's name). Whatever path serves it, the rows
// must be those of the plain listing filtered by hand, in username order, across renames, the
// recycle bin, attribute changes and bulk imports, page by page with --limit and cursors.

#include <algorithm>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "sqlite_probe.hpp"
#include "store/sqlite/migrations.hpp"

namespace usersctl::e2e {
namespace {

using Names = std::vector<std::string>;

// Users in an order that is not their names' (ids and names disagree), a third south.
std::string import_file_rows() {
  std::string rows;
  const char* places[] = {"north", "south", "east"};
  for (int i = 0; i < 24; ++i) {
    const int n = (i * 7) % 24;  // a permutation: insertion order is not name order
    rows += R"({"username":"u)" + std::string(n < 10 ? "0" : "") + std::to_string(n) + R"(","uid":)" +
            std::to_string(3000 + n) + R"(,"attrs":{"location":")" + places[n % 3] + "\"" +
            (n % 2 == 0 ? R"(,"team":"ops")" : "") + "}}\n";
  }
  return rows;
}

class WhereIndexTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    add_user("zed", {"--attr", "location=south"});
    add_user("adam", {"--attr", "location=south", "--attr", "team=ops"});
    const std::string file = temp_file("users.jsonl", import_file_rows());
    // The bulk path of a SQLite import, forced on a small file (PostgreSQL ignores the setting).
    ASSERT_TRUE(QuietlySucceeded(
        run({"--db", db_url(), "import", file, "-q"}, {}, {{"USERSCTL_BULK_INDEX_ROWS", "1"}})));
    ASSERT_TRUE(QuietlySucceeded(cli({"update", "u04", "--rename", "b04", "-q"})));  // moves in the order
    ASSERT_TRUE(QuietlySucceeded(cli({"update", "u03", "--attr", "location=south", "-q"})));  // joins
    ASSERT_TRUE(QuietlySucceeded(cli({"update", "u07", "--attr", "location=north", "-q"})));  // leaves
    ASSERT_TRUE(QuietlySucceeded(cli({"delete", "u10", "--yes", "-q"})));                     // binned
    ASSERT_TRUE(QuietlySucceeded(cli({"delete", "u13", "--yes", "-q"})));
    ASSERT_TRUE(QuietlySucceeded(cli({"restore", "u13", "-q"})));  // back again
  }

  // The plain listing (no filter) filtered here: the users whose attrs hold every pair.
  Names expected(const std::vector<std::pair<std::string, std::string>>& pairs, bool descending = false) {
    Names names;
    for (const json& user : list_users()) {
      const bool all = std::all_of(pairs.begin(), pairs.end(), [&](const auto& pair) {
        return user["attrs"].contains(pair.first) && user["attrs"][pair.first] == pair.second;
      });
      if (all) names.push_back(user["username"]);
    }
    if (descending) std::reverse(names.begin(), names.end());
    return names;
  }

  // Every page of `args` with --limit `size`, following the cursors until a short page.
  Names paged(std::vector<std::string> args, int size) {
    args.insert(args.begin(), "list");
    args.insert(args.end(), {"-o", "jsonl", "--limit", std::to_string(size)});
    Names names;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
      std::vector<std::string> call = args;
      if (!cursor.empty()) call.insert(call.end(), {"--after", cursor});
      const RunResult r = cli(call);
      EXPECT_EQ(r.exit_code, 0) << r;
      const auto rows = parse_jsonl(r.out);
      for (const json& row : rows) names.push_back(row["username"]);
      const auto at = r.err.find("--after ");
      if (at == std::string::npos) break;
      cursor = r.err.substr(at + 8, r.err.find('\n', at) - at - 8);
      EXPECT_EQ(rows.size(), static_cast<std::size_t>(size)) << "a cursor only after a full page";
    }
    return names;
  }
};
USERSCTL_E2E_INSTANTIATE(WhereIndexTest);

TEST_P(WhereIndexTest, AnAttributeFilterListsTheFilteredUsersInUsernameOrder) {
  const Names south = expected({{"location", "south"}});
  ASSERT_GE(south.size(), 8u);
  EXPECT_NE(std::find(south.begin(), south.end(), "b04"), south.end()) << "renamed, still south";
  EXPECT_NE(std::find(south.begin(), south.end(), "u03"), south.end());
  EXPECT_NE(std::find(south.begin(), south.end(), "u13"), south.end()) << "restored";
  EXPECT_EQ(std::find(south.begin(), south.end(), "u10"), south.end()) << "in the recycle bin";
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south"}), south);
  EXPECT_EQ(list_usernames({"--where", "attrs.location=north"}), expected({{"location", "north"}}));
  EXPECT_EQ(list_usernames({"--where", "attrs.location=west"}), Names{});
}

TEST_P(WhereIndexTest, LimitOffsetAndCursorPagesGiveTheSameRowsAsOnePage) {
  const Names south = expected({{"location", "south"}});
  EXPECT_EQ(paged({"--where", "attrs.location=south"}, 3), south);
  EXPECT_EQ(paged({"--where", "attrs.location=south"}, 1), south);
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--limit", "3", "--offset", "2"}),
            Names(south.begin() + 2, south.begin() + 5));
  const Names reversed = expected({{"location", "south"}}, true);
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--sort", "username:desc"}), reversed);
  EXPECT_EQ(paged({"--where", "attrs.location=south", "--sort", "username:desc"}, 4), reversed);
}

TEST_P(WhereIndexTest, TwoAttributesAndOtherFiltersAreAnded) {
  const Names both = expected({{"location", "south"}, {"team", "ops"}});
  ASSERT_GE(both.size(), 2u);
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--where", "attrs.team=ops"}), both);
  EXPECT_EQ(paged({"--where", "attrs.team=ops", "--where", "attrs.location=south"}, 2), both);
  ASSERT_TRUE(QuietlySucceeded(cli({"update", both[0], "--disable", "-q"})));
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--where", "attrs.team=ops", "--enabled"}),
            Names(both.begin() + 1, both.end()));
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--where", "uid=3001"}), Names{"u01"});
}

TEST_P(WhereIndexTest, AnotherSortOrderGivesTheSameRows) {
  Names by_uid = list_usernames({"--where", "attrs.location=south", "--sort", "uid"});
  std::sort(by_uid.begin(), by_uid.end());
  EXPECT_EQ(by_uid, expected({{"location", "south"}}));
}

// A database of the schema before the index (SQLite 9) with users and attributes: the migration
// gives each attribute row its user's name, and from then on renames and new rows keep it.
class WhereIndexMigrationTest : public SqliteE2eTest {
 protected:
  void make_schema_9_database() {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    std::string script;
    for (std::size_t i = 0; i < 9; ++i) script += store::sqlite::migrations()[i];
    script += R"sql(
INSERT INTO users (id, username, uid, name, created_at, updated_at, created_by, updated_by, gid, home, shell)
  VALUES (1, 'zoe', 1000, 'Zoe', 't', 't', 'old', 'old', 1000, '/home/zoe', '/bin/sh'),
         (2, 'abe', 1001, 'Abe', 't', 't', 'old', 'old', 1001, '/home/abe', '/bin/sh'),
         (3, 'max', 1002, 'Max', 't', 't', 'old', 'old', 1002, '/home/max', '/bin/sh');
INSERT INTO user_attrs (user_id, key, value) VALUES (1, 'location', 'south'), (2, 'location', 'south'),
  (3, 'location', 'north'), (3, 'room', 'r12');
PRAGMA user_version = 9;
)sql";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
};

TEST_F(WhereIndexMigrationTest, OldAttributeRowsGetTheirUsersNamesAndKeepThemThroughRenames) {
  make_schema_9_database();
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--limit", "5"}), (Names{"abe", "zoe"}));
  EXPECT_EQ(query_rows(db_path(), "SELECT user_id, key, username FROM user_attrs ORDER BY user_id, key"),
            (Names{"1|location|zoe", "2|location|abe", "3|location|max", "3|room|max"}));
  EXPECT_EQ(query_rows(db_path(), "SELECT attrs_text FROM users WHERE id = 3"),
            Names{"location\x1fnorth\x1eroom\x1fr12"})
      << "the copies on the rows are as they were";
  ASSERT_TRUE(
      QuietlySucceeded(cli({"update", "max", "--rename", "aaron", "--attr", "location=south", "-q"})));
  add_user("bea", {"--attr", "location=south"});
  EXPECT_EQ(list_usernames({"--where", "attrs.location=south", "--limit", "5"}),
            (Names{"aaron", "abe", "bea", "zoe"}));
  EXPECT_EQ(query_rows(db_path(),
                       "SELECT count(*) FROM user_attrs a JOIN users u ON u.id = a.user_id "
                       "WHERE a.username IS NOT u.username"),
            Names{"0"});
  EXPECT_EQ(parse_jsonl(cli({"search", "r12", "--in", "attrs"}).out).size(), 1u) << "the search index too";
  EXPECT_EQ(integrity_check(db_path()), "ok");
}

}  // namespace
}  // namespace usersctl::e2e
