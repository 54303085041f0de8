// The recycle bin: delete keeps the record, restore brings everything back (memberships of
// groups renamed since included), purge is final; uids stay reserved while binned. Both backends.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"
#include "sqlite_probe.hpp"

namespace usersctl::e2e {
namespace {

class RecycleBinTest : public E2eTest {
 protected:
  // A trigger behind usersctl's back that refuses every row delete from users: a purge fails
  // after the move to the bin, inside the same command.
  void refuse_user_row_deletes(bool refuse) const {
    if (backend() == "postgresql") {
      PgSession(db_url()).exec(
          refuse ? "CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE "
                   "EXCEPTION 'refused by the test'; END$$; CREATE TRIGGER refuse_delete BEFORE DELETE ON "
                   "users FOR EACH ROW EXECUTE FUNCTION refuse_delete()"
                 : "DROP TRIGGER refuse_delete ON users; DROP FUNCTION refuse_delete()");
    } else {
      query_rows(db_path(), refuse ? "CREATE TRIGGER refuse_delete BEFORE DELETE ON users BEGIN SELECT "
                                     "RAISE(ABORT, 'refused by the test'); END"
                                   : "DROP TRIGGER refuse_delete");
    }
  }
  std::vector<std::string> event_types() const {
    std::vector<std::string> types;
    for (auto& event : parse_jsonl(cli({"events", "list"}).out)) types.push_back(event["type"]);
    return types;
  }
};
USERSCTL_E2E_INSTANTIATE(RecycleBinTest);

const char* const kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAz alice@laptop";

TEST_P(RecycleBinTest, DeleteHidesRestoreBringsEverythingBack) {
  add_group("dev");
  add_group("ops");
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--email", "alice@example.com", "--attr", "team=core",
                                     "--group", "dev", "--group", "ops", "--password-stdin"},
                                    "pw-of-alice\n")));
  ASSERT_TRUE(MutationSucceeded(cli({"ssh-key", "add", "alice", kKey})));
  const json before = show_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "alice"})));

  // Gone from show, list, search, the groups' members and the host.
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3, "alice"));
  EXPECT_TRUE(list_usernames().empty());
  EXPECT_EQ(cli({"search", "alice"}).out, "");
  EXPECT_EQ(show_group("dev")["members"], json::array());
  EXPECT_EQ(cli({"ssh-authorized-keys", "alice"}).out, "");
  EXPECT_EQ(cli({"export", "--format", "passwd"}).out, "");
  EXPECT_EQ(cli({"__complete", "users", "a"}).out, "");
  // In the bin, with who and when.
  std::vector<json> binned = parse_jsonl(cli({"list", "--deleted"}).out);
  ASSERT_EQ(binned.size(), 1u);
  EXPECT_EQ(binned[0]["username"], "alice");
  EXPECT_EQ(binned[0]["deleted_by"], "tester");
  EXPECT_TRUE(is_rfc3339_utc(binned[0]["deleted_at"].get<std::string>()));
  RunResult r = cli({"show", "alice", "--deleted"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(parse_json(r.out)["uid"], before["uid"]);

  // A group renamed meanwhile: the membership is by id, so it comes back under the new name.
  ASSERT_TRUE(MutationSucceeded(cli({"group", "rename", "dev", "developers"})));
  r = cli({"restore", "alice"});
  ASSERT_TRUE(MutationSucceeded(r)) << r;
  json after = show_user("alice");
  EXPECT_EQ(after["uid"], before["uid"]);
  EXPECT_EQ(after["email"], "alice@example.com");
  EXPECT_EQ(after["attrs"], before["attrs"]);
  EXPECT_EQ(after["ssh_keys"], before["ssh_keys"]);
  EXPECT_EQ(after["groups"], (json{"developers", "ops"}));
  EXPECT_EQ(show_group("developers")["members"], json{"alice"});
  EXPECT_TRUE(Succeeded(cli({"check-password", "alice", "--password-stdin"}, "pw-of-alice\n")));
  EXPECT_NE(cli({"ssh-authorized-keys", "alice"}).out.find("alice@laptop"), std::string::npos);
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());
  const auto events = parse_jsonl(cli({"events", "list", "--type", "user.restored"}).out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["subject"], "users/alice");
}

TEST_P(RecycleBinTest, RestoreRefusedWhenTheNameIsTakenAgain) {
  add_user("bob");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "bob"})));
  add_user("bob");  // the name is free for reuse
  EXPECT_TRUE(Failed(cli({"restore", "bob"}), 4, "bob"));
  RunResult r = cli({"restore", "bob", "--as", "bob-old"});
  ASSERT_TRUE(MutationSucceeded(r)) << r;
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"bob", "bob-old"}));
  EXPECT_TRUE(Failed(cli({"restore", "bob"}), 3, "recycle bin"));
  EXPECT_TRUE(Failed(cli({"restore", "ghost"}), 3, "ghost"));
}

TEST_P(RecycleBinTest, UidNeverReallocatedWhileBinned) {
  add_user("carol");
  const auto uid = show_user("carol")["uid"].get<std::int64_t>();
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "carol"})));
  add_user("dave");
  EXPECT_NE(show_user("dave")["uid"].get<std::int64_t>(), uid);
  EXPECT_TRUE(Failed(cli({"add", "erin", "--uid", std::to_string(uid)}), 4));
  // Purged, it is final: the bin is empty and the user cannot come back.
  RunResult r = cli({"purge", "carol"});
  ASSERT_TRUE(MutationSucceeded(r)) << r;
  EXPECT_TRUE(Failed(cli({"restore", "carol"}), 3));
  EXPECT_EQ(parse_jsonl(cli({"events", "list", "--type", "user.purged"}).out).size(), 1u);
  // Its history stays readable, under its name.
  EXPECT_EQ(parse_jsonl(cli({"history", "carol"}).out).size(), 3u);  // purged, deleted, created
}

TEST_P(RecycleBinTest, PurgeOlderThanAndDeletePurgeAndRecycleDaysZero) {
  add_user("fay");
  add_user("gus");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "fay"})));
  RunResult r = cli({"purge", "--older-than", "1"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(parse_jsonl(cli({"list", "--deleted"}).out).size(), 1u);  // too young
  r = cli({"purge", "--older-than", "0"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());

  r = cli({"delete", "--purge", "gus"});
  ASSERT_TRUE(MutationSucceeded(r, 2)) << r;  // deleted, purged
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());

  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "recycle_days", "0"})));
  add_user("hal");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "hal"})));
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());
  EXPECT_TRUE(Failed(cli({"purge"}), 2));
  EXPECT_TRUE(Failed(cli({"settings", "set", "recycle_days", "soon"}), 5, "recycle_days"));
}

// delete --purge is one transaction: user.deleted and user.purged commit together or not at all.
TEST_P(RecycleBinTest, DeletePurgeIsAllOrNothing) {
  add_user("alice");
  add_user("bob");
  refuse_user_row_deletes(true);
  RunResult r = cli({"delete", "--purge", "alice"});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_NE(r.err.find("usersctl: error: "), std::string::npos) << r;
  // Nothing happened: not deleted, not in the bin, no event.
  EXPECT_EQ(show_user("alice")["username"], "alice");
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());
  EXPECT_EQ(event_types(), (std::vector<std::string>{"user.created", "user.created"}));

  refuse_user_row_deletes(false);
  r = cli({"delete", "--purge", "alice", "bob", "--yes"});
  ASSERT_TRUE(MutationSucceeded(r, 4)) << r;
  EXPECT_TRUE(list_usernames().empty());
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty());
  EXPECT_EQ(event_types(), (std::vector<std::string>{"user.created", "user.created", "user.deleted",
                                                     "user.purged", "user.deleted", "user.purged"}));
  const auto history = parse_jsonl(cli({"history", "alice"}).out);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0]["type"], "user.purged");
  EXPECT_EQ(history[1]["type"], "user.deleted");
  // A dry run shows both and changes nothing.
  add_user("carl");
  r = cli({"delete", "--purge", "--dry-run", "carl"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(show_user("carl")["username"], "carl");
}

TEST_P(RecycleBinTest, GroupDeleteKeepsMembersForGroupRestore) {
  add_group("qa");
  add_user("ivy", {"--group", "qa"});
  ASSERT_TRUE(MutationSucceeded(cli({"group", "delete", "qa", "--force"})));
  EXPECT_TRUE(Failed(cli({"group", "show", "qa"}), 3));
  EXPECT_EQ(show_user("ivy")["groups"], json::array());
  RunResult r = cli({"group", "restore", "qa"});
  ASSERT_TRUE(MutationSucceeded(r)) << r;
  EXPECT_EQ(show_group("qa")["members"], json{"ivy"});
  EXPECT_EQ(show_user("ivy")["groups"], json{"qa"});
  EXPECT_TRUE(Failed(cli({"group", "restore", "qa"}), 3));
}

}  // namespace
}  // namespace usersctl::e2e
