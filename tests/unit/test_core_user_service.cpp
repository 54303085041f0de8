#include <gtest/gtest.h>

#include "core/group_service.hpp"
#include "core/user_service.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;
using namespace usersctl::model;

namespace {

class UserServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Database> store = store::open_database("sqlite::memory:");
  MutationRunner runner{*store, store->records(), store->outbox(), "tester"};
  UserService users{runner, *store};
  GroupService groups{runner, *store};

  NewUser named(const std::string& name) {
    NewUser user;
    user.username = name;
    return user;
  }
};

}  // namespace

TEST_F(UserServiceTest, AllocatesUidsLikeUseradd) {
  EXPECT_EQ(users.add(named("a"), IfExists::Fail).at(0).user->uid, 1000);
  EXPECT_EQ(users.add(named("b"), IfExists::Fail).at(0).user->uid, 1001);
  NewUser system = named("sys");
  system.posix.uid = 5;
  EXPECT_EQ(users.add(system, IfExists::Fail).at(0).user->uid, 5);
  users.remove({"a"}, IfMissing::Fail);
  // The gap at 1000 is not reused while the range above is free.
  EXPECT_EQ(users.add(named("c"), IfExists::Fail).at(0).user->uid, 1002);
  NewUser top = named("top");
  top.posix.uid = 59999;
  users.add(top, IfExists::Fail);
  // The range above is full: the lowest gap is taken, but not a's uid, which stays reserved while
  // a is in the recycle bin (a deleted user's files never pass to a newcomer).
  EXPECT_EQ(users.add(named("d"), IfExists::Fail).at(0).user->uid, 1003);
}

TEST_F(UserServiceTest, RecordsActorTimesAndVersion) {
  const User user = users.add(named("alice"), IfExists::Fail).at(0).user.value();
  EXPECT_EQ(user.created_by, "tester");
  EXPECT_EQ(user.version, 1);
  EXPECT_EQ(user.created_at.size(), 24u);
  UserUpdate update;
  update.name = "Alice";
  const auto changes = users.update("alice", update);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].changed_fields, std::vector<std::string>{"name"});
  EXPECT_EQ(users.show("alice").version, 2);
}

TEST_F(UserServiceTest, UpdateWithSameValuesChangesNothing) {
  NewUser user = named("alice");
  user.name = "Alice";
  user.attrs = {{"team", "ops"}};
  users.add(user, IfExists::Fail);
  UserUpdate update;
  update.name = "Alice";
  update.set_attrs = {{"team", "ops"}};
  EXPECT_TRUE(users.update("alice", update).empty());
  EXPECT_EQ(users.show("alice").version, 1);
}

TEST_F(UserServiceTest, ConditionalUpdates) {
  users.add(named("alice"), IfExists::Fail);
  UserUpdate update;
  update.name = "A";
  update.if_version = 2;
  EXPECT_THROW(users.update("alice", update), Conflict);
  update.if_version = 1;
  EXPECT_EQ(users.update("alice", update).size(), 1u);
}

TEST_F(UserServiceTest, EmailsAreUniqueIgnoringCase) {
  NewUser alice = named("alice");
  alice.email = "Alice@Example.com";
  users.add(alice, IfExists::Fail);
  NewUser bob = named("bob");
  bob.email = "alice@example.COM";
  EXPECT_THROW(users.add(bob, IfExists::Fail), Conflict);
  bob.email.reset();
  users.add(bob, IfExists::Fail);
  UserUpdate update;
  update.email = "ALICE@example.com";
  EXPECT_THROW(users.update("bob", update), Conflict);
  // Changing the case of one's own email is fine.
  EXPECT_EQ(users.update("alice", update).size(), 1u);
}

TEST_F(UserServiceTest, DeleteIsAllOrNothing) {
  users.add(named("a"), IfExists::Fail);
  users.add(named("b"), IfExists::Fail);
  EXPECT_THROW(users.remove({"a", "ghost", "b"}, IfMissing::Fail), NotFound);
  EXPECT_NO_THROW(users.show("a"));
  EXPECT_EQ(users.remove({"a", "ghost", "b"}, IfMissing::Skip).size(), 2u);
  EXPECT_THROW(users.show("b"), NotFound);
}

TEST_F(UserServiceTest, RenameKeepsMembershipsAndRefusesTakenNames) {
  groups.create({"dev", std::nullopt, ""}, IfExists::Fail);
  NewUser alice = named("alice");
  alice.groups = {"dev"};
  users.add(alice, IfExists::Fail);
  users.add(named("bob"), IfExists::Fail);
  UserUpdate update;
  update.rename = "bob";
  EXPECT_THROW(users.update("alice", update), Conflict);
  update.rename = "alice2";
  users.update("alice", update);
  EXPECT_EQ(users.show("alice2").groups, std::vector<std::string>{"dev"});
  EXPECT_EQ(groups.show("dev").members, std::vector<std::string>{"alice2"});
}

TEST_F(UserServiceTest, AddWithUnknownGroupChangesNothing) {
  NewUser alice = named("alice");
  alice.groups = {"nope"};
  EXPECT_THROW(users.add(alice, IfExists::Fail), NotFound);
  EXPECT_THROW(users.show("alice"), NotFound);
}

TEST_F(UserServiceTest, Passwords) {
  NewUser alice = named("alice");
  alice.password = util::SecretString("s3cret");
  users.add(alice, IfExists::Fail);
  EXPECT_TRUE(users.check_password("alice", "s3cret"));
  EXPECT_FALSE(users.check_password("alice", "wrong"));
  users.set_password("alice", "n3w");
  EXPECT_TRUE(users.check_password("alice", "n3w"));
  EXPECT_THROW(users.check_password("ghost", "x"), NotFound);
  users.add(named("nopw"), IfExists::Fail);
  EXPECT_FALSE(users.check_password("nopw", "anything"));
}

TEST_F(UserServiceTest, EveryChangeCommitsOneEventAndNoOpsNone) {
  users.add(named("alice"), IfExists::Fail);
  users.add(named("alice"), IfExists::Skip);  // no-op
  EXPECT_THROW(users.add(named("alice"), IfExists::Fail), Conflict);
  UserUpdate update;
  update.name = "Alice";
  users.update("alice", update);
  users.update("alice", update);  // same value: no-op
  users.remove({"alice"}, IfMissing::Fail);
  std::vector<model::StoredEvent> events;
  runner.committed_events([&](const model::StoredEvent& event) { events.push_back(event); });
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "user.created");
  EXPECT_EQ(events[1].type, "user.updated");
  EXPECT_EQ(events[2].type, "user.deleted");
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].sequence, static_cast<std::int64_t>(i + 1));
  std::int64_t stored = 0;
  store->read([&] { stored = store->outbox().last_event_sequence(); });
  EXPECT_EQ(stored, 3);
}

TEST_F(UserServiceTest, FailedMutationLeavesNoEvent) {
  NewUser alice = named("alice");
  alice.groups = {"missing"};
  EXPECT_THROW(users.add(alice, IfExists::Fail), NotFound);
  std::int64_t stored = -1;
  store->read([&] { stored = store->outbox().last_event_sequence(); });
  EXPECT_EQ(stored, 0);
  int committed = 0;
  runner.committed_events([&](const model::StoredEvent&) { ++committed; });
  EXPECT_EQ(committed, 0);
}
