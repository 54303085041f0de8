// export --format dump and import --format dump (issue 18): lossless, all or nothing, across backends.

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"

namespace usersctl::e2e {
namespace {

const char* const kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

class DumpTest : public E2eTest {
 protected:
  void add_fixture() {
    ASSERT_TRUE(Succeeded(cli({"settings", "set", "home_base", "/srv/home"})));
    add_group("staff", {"--gid", "500", "--description", "Staff, all = \"everyone\""});
    add_group("empty", {"--gid", "600"});
    add_user("alice", {"--uid", "1000", "--name", "Liddell, \"Alice\"", "--email", "alice@example.com",
                       "--group", "staff", "--attr", "dn=uid=x,ou=y", "--attr", "eq==,"});
    add_user("bob", {"--uid", "1001", "--name", "Bøb Ünïcødé 山田", "--group", "staff", "--group", "empty"});
    add_user("carol", {"--uid", "2000", "--disabled", "--valid-from", "2020-02-02", "--expires-at",
                       "2031-03-03T10:00:00Z"});
    ASSERT_TRUE(Succeeded(cli({"passwd", "alice", "--password-stdin"}, "s3cret\n")));
    ASSERT_TRUE(Succeeded(cli({"ssh-key", "add", "alice", kKey})));
    ASSERT_TRUE(Succeeded(cli({"group", "remove", "empty", "bob"})));
  }
  // The database a dump goes through: PostgreSQL when this is the SQLite run and a cluster is
  // there (SQLite -> PostgreSQL -> SQLite), else a SQLite file (PostgreSQL -> SQLite -> SQLite).
  std::string middle_database() {
    const char* admin = std::getenv("USERSCTL_TEST_PG_URL");
    if (admin && *admin && backend() == "sqlite") {
      pg_ = std::make_unique<ScratchDatabase>(admin);
      return pg_->url();
    }
    return (temp_dir() / "middle.db").string();
  }
  // `first` (this database's dump) into the middle database, then that one's dump into the SQLite
  // file `last`: each dump taken again must be `first` byte for byte. Returns the first import.
  RunResult round_trip(const std::string& first, std::string& middle, std::string& last) {
    middle = middle_database();
    const RunResult in = import_into(middle, temp_file("first.dump", first));
    if (in.exit_code != 0) return in;
    const RunResult second = dump_of(middle);
    EXPECT_TRUE(Succeeded(second));
    EXPECT_EQ(second.out, first);
    last = (temp_dir() / "last.db").string();
    EXPECT_EQ(import_into(last, temp_file("middle.dump", second.out)).exit_code, 0);
    EXPECT_EQ(dump_of(last).out, first);
    return in;
  }
  RunResult dump_of(const std::string& db) const { return run({"--db", db, "export", "--format", "dump"}); }
  RunResult import_into(const std::string& db, const std::string& file) const {
    return run({"--db", db, "import", "--format", "dump", file});
  }

 private:
  std::unique_ptr<ScratchDatabase> pg_;
};
USERSCTL_E2E_INSTANTIATE(DumpTest);

TEST_P(DumpTest, CarriesEveryFieldTaggedByKind) {
  add_fixture();
  const RunResult r = cli({"export", "--format", "dump"});
  ASSERT_TRUE(Succeeded(r));
  auto lines = parse_jsonl(r.out);
  ASSERT_EQ(lines.size(), 1u + 1u + 2u + 3u);
  EXPECT_EQ(lines[0]["kind"], "usersctl-dump");
  EXPECT_EQ(lines[1]["kind"], "settings");
  EXPECT_EQ(lines[1]["values"]["home_base"], "/srv/home");
  EXPECT_EQ(lines[2]["kind"], "group");
  EXPECT_EQ(lines[2]["name"], "empty");
  EXPECT_EQ(lines[2]["members"].size(), 0u);
  EXPECT_EQ(lines[3]["description"], "Staff, all = \"everyone\"");
  EXPECT_EQ(lines[4]["kind"], "user");
  EXPECT_EQ(lines[4]["username"], "alice");
  EXPECT_EQ(lines[4]["password_hash"].get<std::string>().rfind("$y$", 0), 0u);
  EXPECT_EQ(lines[4]["ssh_keys"][0]["key"], kKey);
  EXPECT_TRUE(is_rfc3339_utc(lines[4]["ssh_keys"][0]["added_at"]));
  EXPECT_EQ(lines[4]["attrs"]["dn"], "uid=x,ou=y");
  EXPECT_TRUE(lines[5]["password_hash"].is_null());
  EXPECT_EQ(lines[6]["disabled"], true);
  // The lifecycle fields, only when set.
  EXPECT_EQ(lines[6]["valid_from"], "2020-02-02T00:00:00.000Z");
  EXPECT_EQ(lines[6]["expires_at"], "2031-03-03T10:00:00.000Z");
  EXPECT_TRUE(is_rfc3339_utc(lines[4]["password_changed_at"]));
  EXPECT_FALSE(lines[5].contains("expires_at"));
  EXPECT_FALSE(lines[5].contains("password_changed_at"));
  EXPECT_EQ(lines[4]["version"], 3);  // created, password, ssh key
}

TEST_P(DumpTest, RoundTripIsByteIdenticalAndKeepsPasswords) {
  add_fixture();
  const RunResult first = cli({"export", "--format", "dump"});
  ASSERT_TRUE(Succeeded(first));
  std::string middle, last;
  const RunResult in = round_trip(first.out, middle, last);
  ASSERT_EQ(in.exit_code, 0) << in;
  EXPECT_NE(in.err.find("3 users created"), std::string::npos) << in.err;
  EXPECT_EQ(run({"--db", last, "check-password", "alice", "--password-stdin"}, "s3cret\n").exit_code, 0);
  EXPECT_EQ(run({"--db", last, "ssh-authorized-keys", "alice"}).out, std::string(kKey) + "\n");
  auto carol = parse_json(run({"--db", last, "show", "carol", "-o", "json"}).out);
  EXPECT_EQ(carol["expires_at"], "2031-03-03T10:00:00.000Z");
  // The import's events: what it created.
  auto events = parse_jsonl(run({"--db", middle, "events", "list", "-o", "jsonl"}).out);
  int users = 0, groups = 0, settings = 0;
  for (auto& event : events) {
    const std::string type = event["type"];
    users += type.find("user.created") != std::string::npos;
    groups += type.find("group.created") != std::string::npos;
    settings += type.find("setting") != std::string::npos;
  }
  EXPECT_EQ(users, 3);
  EXPECT_EQ(groups, 2);
  EXPECT_EQ(settings, 1);
}

// 10,000 users through the other backend and back, with groups (members, an empty one),
// attributes with '=' and ',', Unicode names, disabled users, hashes and an SSH key.
TEST_P(DumpTest, TenThousandUsersRoundTrip) {
  add_group("many", {"--gid", "700", "--description", "Many, \"all\""});
  add_group("none", {"--gid", "701"});
  std::string jsonl;
  for (int i = 0; i < 10000; ++i) {
    jsonl += "{\"username\":\"u" + std::to_string(i) + "\",\"name\":\"Ünï 山田 " + std::to_string(i) +
             "\",\"attrs\":{\"k\":\"a=b,c==d, e\"},\"groups\":[" + (i % 3 == 0 ? "\"many\"" : "") +
             "],\"disabled\":" + (i % 7 == 0 ? "true" : "false") + "}\n";
  }
  ASSERT_EQ(cli({"import", temp_file("many.jsonl", jsonl)}).exit_code, 0);
  ASSERT_TRUE(Succeeded(cli({"passwd", "u1", "--password-stdin"}, "s3cret\n")));
  ASSERT_TRUE(Succeeded(cli({"passwd", "u7", "--password-stdin"}, "other\n")));
  ASSERT_TRUE(Succeeded(cli({"ssh-key", "add", "u9999", kKey})));
  const RunResult first = cli({"export", "--format", "dump"});
  ASSERT_TRUE(Succeeded(first));
  ASSERT_NE(first.out.find("\"password_hash\":\"$y$"), std::string::npos);
  std::string middle, last;
  const RunResult in = round_trip(first.out, middle, last);
  ASSERT_EQ(in.exit_code, 0) << in;
  EXPECT_EQ(run({"--db", last, "check-password", "u1", "--password-stdin"}, "s3cret\n").exit_code, 0);
  EXPECT_EQ(parse_json(run({"--db", last, "group", "show", "many", "-o", "json"}).out)["members"].size(),
            3334u);
  EXPECT_EQ(parse_json(run({"--db", last, "show", "u0", "-o", "json"}).out)["attrs"]["k"], "a=b,c==d, e");
}

TEST_P(DumpTest, RefusesATerminal) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli_on_terminal({"export", "--format", "dump"}), 2, "terminal"));
  EXPECT_TRUE(Failed(cli_on_terminal({"export", "--format", "shadow"}), 2, "terminal"));
}

TEST_P(DumpTest, ConflictsAreReportedByLineAndNothingIsImported) {
  add_fixture();
  const std::string file = temp_file("all.dump", cli({"export", "--format", "dump"}).out);
  ASSERT_TRUE(Succeeded(cli({"delete", "bob", "carol", "--yes"})));
  const RunResult r = cli({"import", "--format", "dump", file});
  EXPECT_EQ(r.exit_code, 4) << r;
  EXPECT_NE(r.err.find("line 5"), std::string::npos) << r.err;  // alice
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  // A group that is there already, even with the same gid, is a conflict too: merging into it
  // would drop the dump's description and history without a word.
  const std::string other = (temp_dir() / "other.db").string();
  ASSERT_TRUE(Succeeded(run({"--db", other, "group", "create", "staff", "--gid", "500"})));
  const RunResult g = import_into(other, file);
  EXPECT_EQ(g.exit_code, 4) << g;
  EXPECT_NE(g.err.find("line 4: group 'staff' already exists"), std::string::npos) << g.err;
  EXPECT_EQ(run({"--db", other, "list", "-o", "jsonl"}).out, "");
  EXPECT_EQ(parse_json(run({"--db", other, "group", "show", "staff", "-o", "json"}).out)["description"], "");
}

TEST_P(DumpTest, BadLinesFailWithTheirLineAndExitFive) {
  const std::string head = "{\"kind\":\"usersctl-dump\",\"version\":1}\n";
  const std::string user =
      "{\"kind\":\"user\",\"username\":\"zed\",\"uid\":3000,\"gid\":3000,\"name\":\"Z\",\"email\":null,"
      "\"home\":\"/home/zed\",\"shell\":\"/bin/sh\",\"disabled\":false,\"groups\":[],\"attrs\":{},"
      "\"ssh_keys\":[],\"password_hash\":null,\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":\"x\","
      "\"updated_at\":\"2026-01-01T00:00:00Z\",\"updated_by\":\"x\",\"version\":1}\n";
  EXPECT_TRUE(
      Failed(cli({"import", "--format", "dump", temp_file("a", "{\"kind\":\"user\"}\n")}), 5, "line 1"));
  EXPECT_TRUE(
      Failed(cli({"import", "--format", "dump", temp_file("b", head + user + "{\"kind\":\"group\"}\n")}), 5,
             "line 3"));
  std::string extra = user;
  extra.insert(extra.size() - 2, ",\"extra\":1");
  EXPECT_TRUE(Failed(cli({"import", "--format", "dump", temp_file("c", head + extra)}), 5, "unknown field"));
  ASSERT_EQ(cli({"import", "--format", "dump", temp_file("d", head + user)}).exit_code, 0);
  EXPECT_EQ(show_user("zed")["created_at"], "2026-01-01T00:00:00Z");
}

}  // namespace
}  // namespace usersctl::e2e
