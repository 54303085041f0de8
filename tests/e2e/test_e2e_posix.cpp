// POSIX accounts (issue 14): gid, home and shell; the user private group; one id space for uids
// and gids; reserved ids.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class PosixTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(PosixTest);

TEST_P(PosixTest, AddDefaultsToAPrivateGroupHomeUnderHomeBaseAndTheDefaultShell) {
  add_user("alice");
  json alice = show_user("alice");
  EXPECT_EQ(alice["uid"], 1000);
  EXPECT_EQ(alice["gid"], 1000);
  EXPECT_EQ(alice["home"], "/home/alice");
  EXPECT_EQ(alice["shell"], "/bin/bash");
  // The private group is synthesized, not a group row.
  EXPECT_TRUE(list_groups().empty());
  EXPECT_TRUE(Failed(cli({"group", "show", "alice"}), 3));
}

TEST_P(PosixTest, AddTakesHomeShellAndAPrimaryGroupByNameOrGid) {
  add_group("staff", {"--gid", "3000"});
  add_user("alice", {"--home", "/srv/alice", "--shell", "/bin/zsh", "--primary-group", "staff"});
  json alice = show_user("alice");
  EXPECT_EQ(alice["gid"], 3000);
  EXPECT_EQ(alice["home"], "/srv/alice");
  EXPECT_EQ(alice["shell"], "/bin/zsh");
  EXPECT_EQ(alice["groups"], json::array()) << "a primary group is not a membership";
  add_user("bob", {"--gid", "3000"});
  EXPECT_EQ(show_user("bob")["gid"], 3000);
  add_user("carol", {"--uid", "4000", "--gid", "4000"});  // its own uid: the private group
  EXPECT_EQ(show_user("carol")["gid"], 4000);
}

TEST_P(PosixTest, AddRefusesAMissingPrimaryGroupBadGidsAndBadPaths) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--primary-group", "nope"}), 3, "nope"));
  EXPECT_TRUE(Failed(cli({"add", "alice", "--gid", "4242"}), 3, "4242"));
  EXPECT_TRUE(Failed(cli({"add", "alice", "--gid", "65534"}), 5, "65534"));
  EXPECT_TRUE(Failed(cli({"add", "alice", "--gid", "1", "--primary-group", "x"}), 2));
  const std::vector<std::string> paths{"relative/home", "/home/a:b", "/home/a\tb", "",
                                       "/" + std::string(4096, 'a')};
  for (const auto& path : paths) {
    EXPECT_TRUE(Failed(cli({"add", "alice", "--home", path}), 5)) << path;
    EXPECT_TRUE(Failed(cli({"add", "alice", "--shell", path}), 5)) << path;
  }
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(PosixTest, UpdateChangesUidGidHomeAndShell) {
  add_group("staff", {"--gid", "3000"});
  add_user("alice");
  const RunResult r =
      cli({"--events", "update", "alice", "--uid", "2000", "--shell", "/bin/zsh", "--home", "/srv/a"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto events = parse_jsonl(r.out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["changes"], json::array({"home", "shell", "uid", "gid"}));
  json alice = show_user("alice");
  EXPECT_EQ(alice["uid"], 2000);
  EXPECT_EQ(alice["gid"], 2000) << "the private group follows its uid";
  EXPECT_EQ(alice["home"], "/srv/a");
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--primary-group", "staff"})));
  EXPECT_EQ(show_user("alice")["gid"], 3000);
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--gid", "2000"})));
  EXPECT_EQ(show_user("alice")["gid"], 2000);
  EXPECT_TRUE(Failed(cli({"update", "alice", "--primary-group", "nope"}), 3));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--shell", "zsh"}), 5));
}

TEST_P(PosixTest, UpdateToATakenUidIsAConflict) {
  add_user("alice");
  add_user("bob");
  add_group("staff", {"--gid", "3000"});
  EXPECT_TRUE(Failed(cli({"update", "alice", "--uid", "1001"}), 4, "bob"));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--uid", "3000"}), 4, "staff"));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--uid", "60001"}), 5, "systemd"));
  EXPECT_EQ(show_user("alice")["uid"], 1000);
}

TEST_P(PosixTest, UidsAndGidsShareOneIdSpace) {
  add_group("staff");  // gid 1000
  EXPECT_EQ(show_group("staff")["gid"], 1000);
  add_user("alice");  // 1000 is the group's: the next id
  EXPECT_EQ(show_user("alice")["uid"], 1001);
  add_group("devs");
  EXPECT_EQ(show_group("devs")["gid"], 1002) << "1001 is alice's private group";
  EXPECT_TRUE(Failed(cli({"add", "bob", "--uid", "1000"}), 4, "staff"));
  EXPECT_TRUE(Failed(cli({"group", "create", "ops", "--gid", "1001"}), 4, "alice"));
}

TEST_P(PosixTest, ReservedIdsAreNeverAcceptedOrAllocated) {
  for (const std::string id : {"65534", "65535", "60001", "60513", "61184", "65519"}) {
    EXPECT_TRUE(Failed(cli({"add", "u" + id, "--uid", id}), 5, id)) << id;
    EXPECT_TRUE(Failed(cli({"group", "create", "g" + id, "--gid", id}), 5, id)) << id;
  }
  EXPECT_TRUE(Failed(cli({"add", "big", "--uid", "4294967295"}), 5));
  add_user("big", {"--uid", "4294967294"});
  EXPECT_EQ(show_user("big")["uid"], 4294967294LL);
  // A range across the systemd ranges: allocation skips them.
  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "uid_range", "60000-61000"})));
  add_user("a");
  add_user("b");
  EXPECT_EQ(show_user("a")["uid"], 60000);
  EXPECT_EQ(show_user("b")["uid"], 60514);
}

TEST_P(PosixTest, PasswdRoundTripGivesIdenticalRecords) {
  add_user("alice", {"--name", "Alice", "--home", "/srv/alice", "--shell", "/bin/zsh"});
  add_group("staff", {"--gid", "3000"});
  add_user("bob", {"--primary-group", "staff", "--group", "staff"});
  const RunResult passwd = cli({"export", "--format", "passwd"});
  const RunResult group = cli({"export", "--format", "group"});
  ASSERT_TRUE(Succeeded(passwd));
  EXPECT_EQ(passwd.out,
            "alice:x:1000:1000:Alice:/srv/alice:/bin/zsh\nbob:x:3001:3000::/home/bob:/bin/bash\n");
  const std::string passwd_file = temp_file("passwd", passwd.out);
  const std::string group_file = temp_file("group", group.out);
  const RunResult jsonl = cli({"export"});

  E2eSandbox other;
  other.set_up_sandbox(backend());
  const RunResult imported =
      other.cli({"import", "--format", "passwd", "--group-file", group_file, passwd_file});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(other.cli({"export", "--format", "passwd"}).out, passwd.out);
  EXPECT_EQ(other.cli({"export", "--format", "group"}).out, group.out);
  // And JSON Lines: the same records but for times and authors.
  auto before = parse_jsonl(jsonl.out);
  auto after = parse_jsonl(other.cli({"export"}).out);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    for (const char* key : {"username", "uid", "gid", "name", "home", "shell", "groups"}) {
      EXPECT_EQ(before[i][key], after[i][key]) << key;
    }
  }
  other.tear_down_sandbox();
}

TEST_P(PosixTest, JsonlAndCsvRoundTripsCarryGidHomeAndShell) {
  add_group("staff", {"--gid", "3000"});
  add_user("alice",
           {"--home", "/srv/alice", "--shell", "/bin/zsh", "--primary-group", "staff", "--email", "a@x.org"});
  add_user("bob", {"--attr", "team=ops"});
  for (const std::string format : {"jsonl", "csv"}) {
    const RunResult exported = cli({"export", "--format", format});
    ASSERT_TRUE(Succeeded(exported));
    const std::string file = temp_file("users." + format, exported.out);
    E2eSandbox other;
    other.set_up_sandbox(backend());
    other.add_group("staff", {"--gid", "3000"});
    const RunResult imported = other.cli({"import", file});
    EXPECT_EQ(imported.exit_code, 0) << format << ": " << imported.err;
    auto mine = list_users();
    auto theirs = other.list_users();
    ASSERT_EQ(mine.size(), theirs.size());
    for (std::size_t i = 0; i < mine.size(); ++i) {
      for (const char* key :
           {"username", "uid", "gid", "name", "email", "home", "shell", "groups", "attrs"}) {
        EXPECT_EQ(mine[i][key], theirs[i][key]) << format << " " << key;
      }
    }
    other.tear_down_sandbox();
  }
}

TEST_P(PosixTest, PasswdImportChecksTheGid) {
  const std::string passwd = temp_file("passwd",
                                       "alice:x:1500:1500::/home/alice:/bin/sh\n"
                                       "bob:x:1501:4000:Bob:/srv/bob:/bin/zsh\n");
  EXPECT_TRUE(Failed(cli({"import", "--format", "passwd", passwd}), 5, "line 2"));
  EXPECT_TRUE(list_usernames().empty());
  const std::string group = temp_file("group", "web:x:4000:bob\n");
  ASSERT_EQ(cli({"import", "--format", "passwd", "--group-file", group, passwd}).exit_code, 0);
  json bob = show_user("bob");
  EXPECT_EQ(bob["gid"], 4000);
  EXPECT_EQ(bob["home"], "/srv/bob");
  EXPECT_EQ(bob["shell"], "/bin/zsh");
  EXPECT_EQ(bob["attrs"], json::object()) << "home and shell are fields, not attributes";
  EXPECT_EQ(show_user("alice")["gid"], 1500);
}

}  // namespace
}  // namespace usersctl::e2e
