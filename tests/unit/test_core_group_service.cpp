#include <gtest/gtest.h>

#include "core/group_service.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;
using namespace usersctl::model;

namespace {

class GroupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"alice", "bob", "carol"}) {
      NewUser user;
      user.username = name;
      users.add(user, IfExists::Fail);
    }
  }
  std::unique_ptr<store::Database> store = store::open_database("sqlite::memory:");
  MutationRunner runner{*store, store->records(), store->outbox(), "tester"};
  UserService users{runner, *store};
  GroupService groups{runner, *store};
};

}  // namespace

TEST_F(GroupServiceTest, AllocatesGidsInTheIdSpaceUidsShare) {
  // alice, bob and carol hold 1000-1002, their private groups' gids too.
  EXPECT_EQ(groups.create({"dev", std::nullopt, ""}, IfExists::Fail).at(0).group->gid, 1003);
  EXPECT_EQ(groups.create({"ops", std::nullopt, ""}, IfExists::Fail).at(0).group->gid, 1004);
  EXPECT_THROW(groups.create({"web", 1003, ""}, IfExists::Fail), Conflict);
  EXPECT_THROW(groups.create({"web", 1000, ""}, IfExists::Fail), Conflict) << "alice's private group";
  EXPECT_THROW(groups.create({"dev", std::nullopt, ""}, IfExists::Fail), Conflict);
  EXPECT_TRUE(groups.create({"dev", std::nullopt, ""}, IfExists::Skip).empty());
}

TEST_F(GroupServiceTest, AddingMembersIsAllOrNothingAndIdempotent) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  EXPECT_THROW(groups.add_members("dev", {"alice", "ghost"}), NotFound);
  EXPECT_TRUE(groups.show("dev").members.empty());
  EXPECT_EQ(groups.add_members("dev", {"alice", "bob"}).size(), 2u);
  const auto again = groups.add_members("dev", {"alice"});
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(groups.show("dev").members, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_TRUE(groups.remove_members("dev", {"carol"}).empty());
  EXPECT_EQ(groups.remove_members("dev", {"bob"}).size(), 1u);
}

TEST_F(GroupServiceTest, SetMakesExactMembership) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  groups.add_members("dev", {"alice", "bob"});
  const auto changes = groups.set_members("dev", {"bob", "carol"});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, ChangeType::MemberRemoved);
  EXPECT_EQ(changes[1].type, ChangeType::MemberAdded);
  EXPECT_EQ(groups.show("dev").members, (std::vector<std::string>{"bob", "carol"}));
  EXPECT_EQ(groups.set_members("dev", {}).size(), 2u);
  EXPECT_TRUE(groups.show("dev").members.empty());
}

TEST_F(GroupServiceTest, DeleteRefusesMembersUnlessForced) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  groups.add_members("dev", {"alice", "bob"});
  try {
    groups.remove("dev", MemberPolicy::RefuseMembers, IfMissing::Fail);
    FAIL() << "expected Conflict";
  } catch (const Conflict& error) {
    EXPECT_NE(std::string(error.what()).find("2 members"), std::string::npos);
  }
  groups.remove("dev", MemberPolicy::RemoveMembers, IfMissing::Fail);
  EXPECT_THROW(groups.show("dev"), NotFound);
  EXPECT_TRUE(users.show("alice").groups.empty());
  EXPECT_TRUE(groups.remove("dev", MemberPolicy::RefuseMembers, IfMissing::Skip).empty());
}

TEST_F(GroupServiceTest, RenameKeepsMembers) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  groups.create({"ops", std::nullopt, ""}, IfExists::Fail);
  groups.add_members("dev", {"alice"});
  EXPECT_THROW(groups.rename("dev", "ops"), Conflict);
  groups.rename("dev", "devs");
  EXPECT_EQ(groups.show("devs").members, std::vector<std::string>{"alice"});
  EXPECT_EQ(users.show("alice").groups, std::vector<std::string>{"devs"});
}

TEST_F(GroupServiceTest, ListsGroupsOfAUser) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  groups.create({"ops", std::nullopt, ""}, IfExists::Fail);
  groups.add_members("ops", {"bob"});
  std::vector<std::string> names;
  groups.list(std::string("bob"), [&](const Group& g) { names.push_back(g.name); });
  EXPECT_EQ(names, std::vector<std::string>{"ops"});
  EXPECT_THROW(groups.list(std::string("ghost"), [](const Group&) {}), NotFound);
}
