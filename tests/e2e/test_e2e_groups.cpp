// Groups and membership (issue 3): group create/delete/rename/add/remove/set/list/show, add --group,
// list --group, the user record's groups, and every output format for groups.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

using Names = std::vector<std::string>;
using Rows = std::vector<std::vector<std::string>>;

const Names kGroupKeys = {"name",       "gid",        "description", "members", "created_at",
                          "updated_at", "created_by", "updated_by",  "version"};

class GroupTest : public E2eTest {
 protected:
  json members_of(const std::string& group) { return show_group(group)["members"]; }
  json groups_of(const std::string& user) { return show_user(user)["groups"]; }
  Names group_names(std::vector<std::string> extra = {}) {
    Names names;
    for (const json& group : list_groups(std::move(extra))) names.push_back(group.value("name", "<missing>"));
    return names;
  }
};
USERSCTL_E2E_INSTANTIATE(GroupTest);

// ---- create / show ----

TEST_P(GroupTest, CreateThenShow) {
  const RunResult r = cli({"group", "create", "devs", "--description", "Developers"});
  ASSERT_TRUE(MutationSucceeded(r));
  EXPECT_NE(r.err.find("devs"), std::string::npos) << r.err;

  const RunResult shown = cli({"group", "show", "devs"});
  ASSERT_TRUE(Succeeded(shown));
  EXPECT_EQ(shown.err, "");
  const auto ordered = nlohmann::ordered_json::parse(shown.out);
  Names keys;
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, kGroupKeys);

  json group = parse_json(shown.out);
  EXPECT_EQ(group["name"], "devs");
  EXPECT_EQ(group["gid"], 1000);
  EXPECT_EQ(group["description"], "Developers");
  EXPECT_EQ(group["members"], json::array());
  EXPECT_TRUE(is_rfc3339_utc(group["created_at"].get<std::string>()));
  EXPECT_TRUE(is_rfc3339_utc(group["updated_at"].get<std::string>()));
  EXPECT_EQ(group["created_by"], "tester");
  EXPECT_EQ(group["updated_by"], "tester");
  EXPECT_EQ(group["version"], 1);
}

TEST_P(GroupTest, QuietCreatePrintsNothing) {
  EXPECT_TRUE(QuietlySucceeded(cli({"group", "create", "devs", "-q"})));
  EXPECT_EQ(show_group("devs")["name"], "devs");
}

TEST_P(GroupTest, ShowUnknownGroupIsNotFound) {
  add_group("devs");  // a database without that group (a read never creates one)
  EXPECT_TRUE(Failed(cli({"group", "show", "ghost"}), 3, "ghost"));
}

TEST_P(GroupTest, GidAllocationSharesOneIdSpaceWithUids) {
  // A user's private group has the gid of its uid, so groups are allocated past the users' uids
  // and users past the groups' gids.
  add_user("alice");
  add_user("bob");
  add_user("carol", {"--uid", "3000"});
  add_group("a");
  add_group("b", {"--gid", "5000"});
  add_group("c");
  add_group("d", {"--gid", "70000"});
  add_group("e", {"--gid", "10"});
  add_group("f");
  EXPECT_EQ(show_group("a")["gid"], 3001);
  EXPECT_EQ(show_group("b")["gid"], 5000);
  EXPECT_EQ(show_group("c")["gid"], 5001);
  EXPECT_EQ(show_group("d")["gid"], 70000);
  EXPECT_EQ(show_group("e")["gid"], 10);
  EXPECT_EQ(show_group("f")["gid"], 5002);
  add_user("dave");
  EXPECT_EQ(show_user("dave")["uid"], 5003);
}

TEST_P(GroupTest, DuplicateGidConflicts) {
  add_group("a", {"--gid", "2000"});
  EXPECT_TRUE(Failed(cli({"group", "create", "b", "--gid", "2000"}), 4, "2000"));
  EXPECT_TRUE(Failed(cli({"group", "show", "b"}), 3));
}

TEST_P(GroupTest, GidOutOfRangeIsInvalid) {
  EXPECT_TRUE(Failed(cli({"group", "create", "a", "--gid", "4294967295"}), 5));
  EXPECT_TRUE(Failed(cli({"group", "create", "a", "--gid", "4294967296"}), 2, "--gid"));  // not a 32-bit id
  EXPECT_TRUE(Failed(cli({"group", "create", "a", "--gid=-1"}), 2, "--gid"));
  EXPECT_TRUE(Failed(cli({"group", "show", "a"}), 3));
}

TEST_P(GroupTest, ExistingGroupConflictsUnlessIfNotExists) {
  add_group("devs", {"--description", "Developers"});
  EXPECT_TRUE(Failed(cli({"group", "create", "devs"}), 4, "devs"));
  const RunResult r = cli({"group", "create", "devs", "--description", "Other", "--if-not-exists"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
  json group = show_group("devs");
  EXPECT_EQ(group["description"], "Developers");
  EXPECT_EQ(group["version"], 1);
}

TEST_P(GroupTest, InvalidGroupNamesAreRejected) {
  for (const std::string& name :
       Names{"Devs", "1devs", "dev s", std::string(33, 'g'), "bad\nname", "a.b", "g\x7f", ""}) {
    EXPECT_TRUE(Failed(cli({"group", "create", name}), 5)) << "name: '" << name << "'";
  }
  EXPECT_EQ(group_names(), Names{});
}

TEST_P(GroupTest, DescriptionWithControlCharacterIsInvalid) {
  EXPECT_TRUE(Failed(cli({"group", "create", "devs", "--description", "a\x01z"}), 5));
  EXPECT_TRUE(Failed(cli({"group", "show", "devs"}), 3));
}

// ---- delete ----

TEST_P(GroupTest, DeleteEmptyGroup) {
  add_group("devs");
  ASSERT_TRUE(MutationSucceeded(cli({"group", "delete", "devs"})));
  EXPECT_TRUE(Failed(cli({"group", "show", "devs"}), 3));
}

TEST_P(GroupTest, DeleteUnknownGroup) {
  EXPECT_TRUE(Failed(cli({"group", "delete", "ghost"}), 3, "ghost"));
  const RunResult r = cli({"group", "delete", "ghost", "--if-exists"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
}

TEST_P(GroupTest, DeleteGroupWithMembersIsRefusedNamingTheCount) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob", {"--group", "devs"});
  const RunResult r = cli({"group", "delete", "devs"});
  EXPECT_TRUE(Failed(r, 4, "2"));
  EXPECT_NE(r.err.find("member"), std::string::npos) << r.err;
  EXPECT_EQ(members_of("devs"), json::array({"alice", "bob"}));
}

TEST_P(GroupTest, ForceDeleteRemovesMembershipsButKeepsUsers) {
  add_group("devs");
  add_group("ops");
  add_user("alice", {"--group", "devs", "--group", "ops"});
  add_user("bob", {"--group", "devs"});
  ASSERT_TRUE(MutationSucceeded(cli({"group", "delete", "devs", "--force"})));
  EXPECT_TRUE(Failed(cli({"group", "show", "devs"}), 3));
  EXPECT_EQ(groups_of("alice"), json::array({"ops"}));
  EXPECT_EQ(groups_of("bob"), json::array());
  EXPECT_EQ(list_usernames(), (Names{"alice", "bob"}));
  // A new group of the same name starts empty.
  add_group("devs");
  EXPECT_EQ(members_of("devs"), json::array());
}

// ---- rename ----

TEST_P(GroupTest, RenameKeepsGidAndMembers) {
  add_group("devs", {"--gid", "4242", "--description", "Developers"});
  add_user("alice", {"--group", "devs"});
  json before = show_group("devs");
  ASSERT_TRUE(MutationSucceeded(cli({"group", "rename", "devs", "developers"})));
  EXPECT_TRUE(Failed(cli({"group", "show", "devs"}), 3));
  json after = show_group("developers");
  EXPECT_EQ(after["gid"], 4242);
  EXPECT_EQ(after["description"], "Developers");
  EXPECT_EQ(after["members"], json::array({"alice"}));
  EXPECT_EQ(after["created_at"], before["created_at"]);
  EXPECT_EQ(after["version"], before["version"].get<int>() + 1);
  EXPECT_EQ(groups_of("alice"), json::array({"developers"}));
}

TEST_P(GroupTest, RenameErrors) {
  add_group("devs");
  add_group("ops");
  EXPECT_TRUE(Failed(cli({"group", "rename", "devs", "ops"}), 4, "ops"));
  EXPECT_TRUE(Failed(cli({"group", "rename", "ghost", "new"}), 3, "ghost"));
  EXPECT_TRUE(Failed(cli({"group", "rename", "devs", "Bad"}), 5));
  EXPECT_TRUE(Failed(cli({"group", "rename", "devs"}), 2));
  EXPECT_EQ(group_names(), (Names{"devs", "ops"}));
}

TEST_P(GroupTest, UserRenameKeepsMemberships) {
  add_group("devs");
  add_group("ops");
  add_user("alice", {"--group", "devs", "--group", "ops"});
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--rename", "zara"})));
  EXPECT_EQ(groups_of("zara"), json::array({"devs", "ops"}));
  EXPECT_EQ(members_of("devs"), json::array({"zara"}));
}

// ---- membership ----

TEST_P(GroupTest, AddMembers) {
  add_group("devs");
  add_user("carol");
  add_user("alice");
  add_user("bob");
  const RunResult r = cli({"group", "add", "devs", "carol", "alice"});
  ASSERT_TRUE(MutationSucceeded(r, 2));
  EXPECT_EQ(members_of("devs"), json::array({"alice", "carol"}));
  EXPECT_EQ(groups_of("alice"), json::array({"devs"}));
  EXPECT_EQ(groups_of("bob"), json::array());
}

TEST_P(GroupTest, AddingAnExistingMemberIsANoOp) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob");
  const RunResult again = cli({"group", "add", "devs", "alice"});
  EXPECT_TRUE(Succeeded(again));
  EXPECT_EQ(again.out, "");
  const RunResult mixed = cli({"group", "add", "devs", "alice", "bob"});
  EXPECT_TRUE(Succeeded(mixed));
  EXPECT_EQ(members_of("devs"), json::array({"alice", "bob"}));
}

TEST_P(GroupTest, AddMembersIsAllOrNothing) {
  add_group("devs");
  add_user("alice");
  add_user("bob");
  EXPECT_TRUE(Failed(cli({"group", "add", "devs", "alice", "ghost", "bob"}), 3, "ghost"));
  EXPECT_EQ(members_of("devs"), json::array());
  EXPECT_EQ(groups_of("alice"), json::array());
}

TEST_P(GroupTest, AddToUnknownGroupIsNotFound) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"group", "add", "ghost", "alice"}), 3, "ghost"));
  EXPECT_TRUE(Failed(cli({"group", "add", "ghost"}), 2)) << "no users given";
}

TEST_P(GroupTest, RemoveMembers) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob", {"--group", "devs"});
  add_user("carol", {"--group", "devs"});
  ASSERT_TRUE(MutationSucceeded(cli({"group", "remove", "devs", "alice", "carol"}), 2));
  EXPECT_EQ(members_of("devs"), json::array({"bob"}));
  EXPECT_EQ(groups_of("alice"), json::array());
  EXPECT_EQ(list_usernames(), (Names{"alice", "bob", "carol"}));
}

TEST_P(GroupTest, RemovingANonMemberIsANoOp) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob");
  const RunResult r = cli({"group", "remove", "devs", "bob"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(members_of("devs"), json::array({"alice"}));
}

TEST_P(GroupTest, RemoveFromUnknownGroupIsNotFound) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"group", "remove", "ghost", "alice"}), 3, "ghost"));
}

TEST_P(GroupTest, SetMakesMembershipExact) {
  add_group("devs");
  for (const char* name : {"alice", "bob", "carol"}) add_user(name);
  ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "devs", "alice", "bob"}), 2));
  ASSERT_TRUE(Succeeded(cli({"group", "set", "devs", "carol", "bob"})));
  EXPECT_EQ(members_of("devs"), json::array({"bob", "carol"}));
  EXPECT_EQ(groups_of("alice"), json::array());
  ASSERT_TRUE(Succeeded(cli({"group", "set", "devs"})));
  EXPECT_EQ(members_of("devs"), json::array());
  EXPECT_EQ(groups_of("carol"), json::array());
}

TEST_P(GroupTest, SetWithUnknownUserChangesNothing) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob");
  EXPECT_TRUE(Failed(cli({"group", "set", "devs", "bob", "ghost"}), 3, "ghost"));
  EXPECT_EQ(members_of("devs"), json::array({"alice"}));
  EXPECT_TRUE(Failed(cli({"group", "set", "ghost", "bob"}), 3, "ghost"));
}

TEST_P(GroupTest, AddUserWithGroups) {
  add_group("ops");
  add_group("devs");
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--group", "ops", "--group", "devs"})));
  EXPECT_EQ(groups_of("alice"), json::array({"devs", "ops"}));
  EXPECT_EQ(members_of("ops"), json::array({"alice"}));
}

TEST_P(GroupTest, AddUserWithOneUnknownGroupCreatesNothing) {
  add_group("devs");
  EXPECT_TRUE(Failed(cli({"add", "alice", "--group", "devs", "--group", "ghost"}), 3, "ghost"));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3));
  EXPECT_EQ(members_of("devs"), json::array());
}

TEST_P(GroupTest, ListUsersByGroup) {
  add_group("devs");
  add_group("ops");
  add_user("carol", {"--group", "devs"});
  add_user("alice", {"--group", "devs", "--group", "ops"});
  add_user("bob", {"--group", "ops"});
  add_user("dave");
  EXPECT_EQ(list_usernames({"--group", "devs"}), (Names{"alice", "carol"}));
  EXPECT_EQ(list_usernames({"--group", "ops"}), (Names{"alice", "bob"}));
  EXPECT_EQ(list_usernames({"--group", "ops", "--where", "username=bob"}), Names{"bob"});
  auto users = list_users({"--group", "devs"});
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["groups"], json::array({"devs", "ops"}));
}

TEST_P(GroupTest, ListUsersByUnknownGroupIsNotFound) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"list", "--group", "ghost"}), 3, "ghost"));
}

TEST_P(GroupTest, DeletingAUserRemovesItsMemberships) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  add_user("bob", {"--group", "devs"});
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "alice"})));
  EXPECT_EQ(members_of("devs"), json::array({"bob"}));
  // A new alice is a new record: it does not inherit the old one's memberships.
  add_user("alice");
  EXPECT_EQ(groups_of("alice"), json::array());
  EXPECT_EQ(members_of("devs"), json::array({"bob"}));
}

// ---- list ----

TEST_P(GroupTest, GroupListIsSortedJsonl) {
  add_group("ops");
  add_group("devs");
  add_user("alice", {"--group", "ops"});
  const RunResult r = cli({"group", "list"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  auto groups = parse_jsonl(r.out);
  ASSERT_EQ(groups.size(), 2u) << r.out;
  EXPECT_EQ(groups[0]["name"], "devs");
  EXPECT_EQ(groups[1]["name"], "ops");
  EXPECT_EQ(groups[1]["members"], json::array({"alice"}));
  EXPECT_EQ(groups[1]["gid"], 1000);
}

TEST_P(GroupTest, EmptyGroupListPrintsNothing) {
  add_user("alice");  // a database without groups (a user's private group is no row)
  const RunResult r = cli({"group", "list"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
}

TEST_P(GroupTest, GroupListForOneUser) {
  add_group("ops");
  add_group("devs");
  add_group("qa");
  add_user("alice", {"--group", "ops", "--group", "qa"});
  add_user("bob");
  EXPECT_EQ(group_names({"--user", "alice"}), (Names{"ops", "qa"}));
  const RunResult none = cli({"group", "list", "--user", "bob"});
  EXPECT_EQ(none.exit_code, 0) << none;
  EXPECT_EQ(none.out, "");
  EXPECT_TRUE(Failed(cli({"group", "list", "--user", "ghost"}), 3, "ghost"));
}

// ---- output formats ----

TEST_P(GroupTest, GroupListAsJsonArray) {
  add_group("devs");
  add_group("ops");
  const RunResult r = cli({"group", "list", "-o", "json"});
  ASSERT_TRUE(Succeeded(r));
  json groups = parse_json(r.out);
  ASSERT_TRUE(groups.is_array()) << r.out;
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0]["name"], "devs");
}

TEST_P(GroupTest, GroupListAsCsv) {
  add_group("devs", {"--description", "=cmd|' /C calc'!A0"});
  add_user("bob", {"--group", "devs"});
  add_user("alice", {"--group", "devs"});
  const RunResult r = cli({"group", "list", "-o", "csv"});
  ASSERT_TRUE(Succeeded(r));
  const Rows rows = parse_delimited(r.out, ',');
  ASSERT_EQ(rows.size(), 2u) << r.out;
  EXPECT_EQ(rows[0], kGroupKeys);
  ASSERT_EQ(rows[1].size(), kGroupKeys.size());
  EXPECT_EQ(rows[1][0], "devs");
  EXPECT_EQ(rows[1][1], "1000");
  EXPECT_EQ(rows[1][2], "'=cmd|' /C calc'!A0");  // formula neutralised
  EXPECT_EQ(rows[1][3], "alice,bob");
  EXPECT_EQ(rows[1][8], "1");
}

TEST_P(GroupTest, GroupListAsTsvWithFields) {
  add_group("devs");
  add_group("ops", {"--gid", "2000"});
  add_user("alice", {"--group", "devs"});
  const RunResult r = cli({"group", "list", "-o", "tsv", "--fields", "gid,name,members"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "gid\tname\tmembers\n1000\tdevs\talice\n2000\tops\t\n");
}

TEST_P(GroupTest, GroupListAsTable) {
  add_group("devs");
  add_group("ops");
  const RunResult r = cli({"group", "list", "-o", "table"});
  ASSERT_TRUE(Succeeded(r));
  const auto lines = split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind("NAME", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("GID"), std::string::npos) << lines[0];
  EXPECT_NE(r.out.find("devs"), std::string::npos);
  EXPECT_NE(r.out.find("ops"), std::string::npos);
}

TEST_P(GroupTest, GroupShowWithFieldsAndJsonl) {
  add_group("devs");
  add_user("alice", {"--group", "devs"});
  const RunResult r = cli({"group", "show", "devs", "-o", "jsonl", "--fields", "name,members"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "{\"name\":\"devs\",\"members\":[\"alice\"]}\n");
}

TEST_P(GroupTest, UnknownGroupSubcommandOrMissingArgs) {
  EXPECT_TRUE(Failed(cli({"group"}), 2));
  EXPECT_TRUE(Failed(cli({"group", "create"}), 2));
  EXPECT_TRUE(Failed(cli({"group", "show"}), 2));
  EXPECT_TRUE(Failed(cli({"group", "frobnicate", "x"}), 2));
}

}  // namespace
}  // namespace usersctl::e2e
