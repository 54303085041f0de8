// The Store contract, run against every backend (PostgreSQL joins when it exists).

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../e2e/pg_test_database.hpp"
#include "store/database.hpp"
#include "store/store.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::store;
using namespace usersctl::model;

namespace {

model::User make_user(const std::string& name, std::int64_t uid) {
  model::User user;
  user.username = name;
  user.uid = uid;
  user.created_at = user.updated_at = "2026-01-01T00:00:00.000Z";
  user.created_by = user.updated_by = "test";
  return user;
}

model::Group make_group(const std::string& name, std::int64_t gid) {
  model::Group group;
  group.name = name;
  group.gid = gid;
  group.created_at = group.updated_at = "2026-01-01T00:00:00.000Z";
  group.created_by = group.updated_by = "test";
  return group;
}

// "postgresql" stands for a fresh database in the cluster of USERSCTL_TEST_PG_URL (scripts/test).
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() != "postgresql") {
      store = open_database(GetParam());
      return;
    }
    const char* url = std::getenv("USERSCTL_TEST_PG_URL");
    ASSERT_NE(url, nullptr) << "USERSCTL_TEST_PG_URL is not set (scripts/test starts a cluster and sets it)";
    database = std::make_unique<usersctl::e2e::ScratchDatabase>(url);
    store = open_database(database->url());
  }
  void TearDown() override {
    store.reset();  // disconnect before the database is dropped
    database.reset();
  }
  std::unique_ptr<usersctl::e2e::ScratchDatabase> database;
  std::unique_ptr<Database> store;
};

std::vector<std::string> store_backends() {
  std::vector<std::string> backends{"sqlite::memory:"};
  const char* ci = std::getenv("CI");
  if (std::getenv("USERSCTL_TEST_PG_URL") != nullptr || (ci != nullptr && std::string(ci) == "true")) {
    backends.emplace_back("postgresql");
  }
  return backends;
}

std::string store_test_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "postgresql" ? "postgresql" : "sqlite";
}

}  // namespace

TEST_P(StoreTest, InsertsAndFindsUsersWithAttributes) {
  store->write([&] {
    auto user = make_user("alice", 1000);
    user.email = "Alice@Example.com";
    user.attrs = {{"team", "ops"}, {"site", "ber"}};
    store->records().insert_user(user, std::string("$y$hash"));
  });
  store->read([&] {
    const auto found = store->records().find_user("alice");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->uid, 1000);
    EXPECT_EQ(found->email.value(), "Alice@Example.com");
    EXPECT_EQ(found->attrs, (model::Attributes{{"site", "ber"}, {"team", "ops"}}));
    EXPECT_EQ(store->records().password_hash(found->id).value(), "$y$hash");
    EXPECT_EQ(store->records().user_with_email_key("alice@example.com").value(), "alice");
    EXPECT_FALSE(store->records().find_user("bob").has_value());
    EXPECT_TRUE(store->records().user_exists("alice"));
    EXPECT_FALSE(store->records().user_exists("bob"));
  });
}

TEST_P(StoreTest, RollsBackWhenWorkThrows) {
  EXPECT_THROW(store->write([&] {
    store->records().insert_user(make_user("alice", 1000), std::nullopt);
    throw Invalid("boom");
  }),
               Invalid);
  store->read([&] { EXPECT_EQ(store->records().count_users(), 0); });
}

TEST_P(StoreTest, UniqueViolationsAreConflicts) {
  store->write([&] { store->records().insert_user(make_user("alice", 1000), std::nullopt); });
  EXPECT_THROW(store->write([&] { store->records().insert_user(make_user("alice", 1001), std::nullopt); }),
               Conflict);
  EXPECT_THROW(store->write([&] { store->records().insert_user(make_user("bob", 1000), std::nullopt); }),
               Conflict);
}

TEST_P(StoreTest, IdQueriesSpanUidsAndGidsAsOneIdSpace) {
  store->write([&] {
    for (std::int64_t uid : {5, 1000, 1001, 1003})
      store->records().insert_user(make_user("u" + std::to_string(uid), uid), {});
    store->records().insert_group(make_group("staff", 1004));
    store->records().insert_group(make_group("ops", 1002));
  });
  store->read([&] {
    EXPECT_TRUE(store->records().id_in_use(IdSpace::Uid, 5));
    EXPECT_FALSE(store->records().id_in_use(IdSpace::Gid, 5));
    EXPECT_TRUE(store->records().id_in_use(IdSpace::Gid, 1004));
    EXPECT_EQ(store->records().highest_id(1000, 60000).value(), 1004);
    EXPECT_EQ(store->records().highest_id(1000, 1004).value(), 1003);
    EXPECT_EQ(store->records().lowest_free_id(1000, 60000).value(), 1005);
    EXPECT_EQ(store->records().lowest_free_id(1001, 1004), std::nullopt);
    EXPECT_EQ(store->records().lowest_free_id(0, 10).value(), 0);
    EXPECT_EQ(store->records().lowest_free_id(5, 10).value(), 6);
    EXPECT_FALSE(store->records().highest_id(2000, 60000).has_value());
    // Ids beyond 2^31 (columns are 64-bit).
    EXPECT_FALSE(store->records().highest_id(4000000000, 4294967295).has_value());
  });
  store->write([&] { store->records().insert_user(make_user("big", 4294967294), {}); });
  store->read([&] {
    EXPECT_EQ(store->records().highest_id(4000000000, 4294967295).value(), 4294967294);
    EXPECT_EQ(store->records().find_user_by_uid(4294967294).value().username, "big");
  });
}

TEST_P(StoreTest, FindsUsersByUidAndGroupsByGid) {
  store->write([&] {
    auto alice = make_user("alice", 1000);
    alice.gid = 2000;
    alice.home = "/srv/alice";
    alice.shell = "/bin/zsh";
    const auto id = store->records().insert_user(alice, std::nullopt);
    const auto gid = store->records().insert_group(make_group("staff", 2000));
    store->records().add_member(gid, id);
  });
  store->read([&] {
    const auto alice = store->records().find_user_by_uid(1000);
    ASSERT_TRUE(alice);
    EXPECT_EQ(alice->username, "alice");
    EXPECT_EQ(alice->gid, 2000);
    EXPECT_EQ(alice->home, "/srv/alice");
    EXPECT_EQ(alice->shell, "/bin/zsh");
    EXPECT_FALSE(store->records().find_user_by_uid(2000));
    const auto staff = store->records().find_group_by_gid(2000);
    ASSERT_TRUE(staff);
    EXPECT_EQ(staff->name, "staff");
    EXPECT_EQ(staff->members, std::vector<std::string>{"alice"});
    EXPECT_FALSE(store->records().find_group_by_gid(1000));  // a private group is no row
  });
}

TEST_P(StoreTest, UpdateWritesThePosixFields) {
  store->write([&] {
    auto bob = make_user("bob", 1000);
    bob.gid = 1000;
    bob.home = "/home/bob";
    bob.shell = "/bin/bash";
    bob.id = store->records().insert_user(bob, std::nullopt);
    bob.uid = 1500;
    bob.gid = 1500;
    bob.home = "/export/bob";
    bob.shell = "/bin/sh";
    store->records().update_user(bob);
  });
  store->read([&] {
    const auto bob = store->records().find_user("bob").value();
    EXPECT_EQ(bob.uid, 1500);
    EXPECT_EQ(bob.gid, 1500);
    EXPECT_EQ(bob.home, "/export/bob");
    EXPECT_EQ(bob.shell, "/bin/sh");
  });
}

TEST_P(StoreTest, SshKeysInOrderWithUniqueFingerprintsAndCascade) {
  std::int64_t alice_id = 0;
  const model::SshKey first{"ssh-ed25519", "AAAAC3first", "alice@laptop", "SHA256:one",
                            "2026-01-01T00:00:00Z"};
  const model::SshKey second{"ssh-rsa", "AAAAB3second", "", "SHA256:two", "2026-01-01T00:00:01Z"};
  store->write([&] {
    alice_id = store->records().insert_user(make_user("alice", 1000), std::nullopt);
    store->records().insert_ssh_key(alice_id, first);
    store->records().insert_ssh_key(alice_id, second);
  });
  EXPECT_THROW(store->write([&] { store->records().insert_ssh_key(alice_id, first); }), Conflict);
  store->read([&] {
    const auto keys = store->records().ssh_keys(alice_id);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].fingerprint, "SHA256:one");
    EXPECT_EQ(keys[0].comment, "alice@laptop");
    EXPECT_EQ(keys[1].added_at, "2026-01-01T00:00:01Z");
    const std::vector<std::string> lines{"ssh-ed25519 AAAAC3first alice@laptop", "ssh-rsa AAAAB3second"};
    EXPECT_EQ(store->records().find_user("alice").value().ssh_keys, lines);
    EXPECT_EQ(store->records().authorized_keys("alice"), lines);
    EXPECT_TRUE(store->records().authorized_keys("nobody").empty());
  });
  store->write([&] {
    EXPECT_TRUE(store->records().delete_ssh_key(alice_id, "SHA256:one"));
    EXPECT_FALSE(store->records().delete_ssh_key(alice_id, "SHA256:one"));
  });
  store->write([&] {
    auto alice = store->records().find_user("alice").value();
    alice.disabled = true;
    store->records().update_user(alice);
  });
  store->read([&] { EXPECT_TRUE(store->records().authorized_keys("alice").empty()); });
  store->write([&] { store->records().delete_user(alice_id); });
  store->read([&] { EXPECT_TRUE(store->records().ssh_keys(alice_id).empty()); });
}

// The directory exports' listing: every live user as list_users gives it, with its hash and its
// keys whole, by username, in one statement.
TEST_P(StoreTest, UsersWithCredentialsAreTheListedUsersWithHashesAndKeys) {
  const model::SshKey first{"ssh-ed25519", "AAAAC3first", "bob@laptop", "SHA256:one", "2026-01-01T00:00:00Z"};
  const model::SshKey second{"ssh-rsa", "AAAAB3second", "", "SHA256:two", "2026-01-01T00:00:01Z"};
  store->write([&] {
    auto& records = store->records();
    const auto bob = records.insert_user(make_user("bob", 1001), std::string("$y$j9T$salt$hash"));
    records.insert_ssh_key(bob, first);
    records.insert_ssh_key(bob, second);
    records.insert_user(make_user("alice", 1000), std::nullopt);
    const auto gone = records.insert_user(make_user("carol", 1002), std::string("$y$gone"));
    records.bin_user(gone, "2026-01-02T00:00:00.000Z", "test");
  });
  store->read([&] {
    std::vector<model::User> listed;
    store->records().list_users(model::UserQuery{}, [&](const model::User& user) { listed.push_back(user); });
    std::vector<UserWithCredentials> rows;
    store->records().list_users_with_credentials(
        [&](const UserWithCredentials& row) { rows.push_back(row); });
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_EQ(listed.size(), 2u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].user.username, listed[i].username);
      EXPECT_EQ(rows[i].user.ssh_keys, listed[i].ssh_keys);
      EXPECT_EQ(rows[i].user.uid, listed[i].uid);
      EXPECT_EQ(rows[i].password_hash, store->records().password_hash(rows[i].user.id));
    }
    EXPECT_EQ(rows[0].user.username, "alice");
    EXPECT_FALSE(rows[0].password_hash.has_value());
    EXPECT_TRUE(rows[0].keys.empty());
    EXPECT_EQ(rows[1].password_hash, std::optional<std::string>("$y$j9T$salt$hash"));
    const auto& keys = rows[1].keys;
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].type, first.type);
    EXPECT_EQ(keys[0].key_base64, first.key_base64);
    EXPECT_EQ(keys[0].comment, first.comment);
    EXPECT_EQ(keys[0].fingerprint, first.fingerprint);
    EXPECT_EQ(keys[0].added_at, first.added_at);
    EXPECT_EQ(keys[1].comment, "");
    EXPECT_EQ(keys[1].added_at, second.added_at);
  });
}

// All groups by name with their live members sorted, as find_group gives each (the SQLite
// listing gathers every group's members in one pass).
TEST_P(StoreTest, ListedGroupsCarryTheirLiveMembersSorted) {
  store->write([&] {
    auto& records = store->records();
    const auto dev = records.insert_group(make_group("dev", 2000));
    const auto ops = records.insert_group(make_group("ops", 2001));
    records.insert_group(make_group("empty", 2002));
    const auto old = records.insert_group(make_group("old", 2003));
    const auto zed = records.insert_user(make_user("zed", 1000), std::nullopt);
    const auto amy = records.insert_user(make_user("amy", 1001), std::nullopt);
    const auto gone = records.insert_user(make_user("gone", 1002), std::nullopt);
    for (const auto user : {zed, amy, gone}) records.add_member(dev, user);
    records.add_member(ops, zed);
    records.add_member(old, amy);
    records.bin_user(gone, "2026-01-02T00:00:00.000Z", "test");
    records.bin_group(old, "2026-01-02T00:00:00.000Z", "test");
  });
  store->read([&] {
    std::vector<model::Group> groups;
    store->records().list_groups(std::nullopt, [&](const model::Group& group) { groups.push_back(group); });
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_EQ(groups[0].name, "dev");
    EXPECT_EQ(groups[0].members, (std::vector<std::string>{"amy", "zed"}));
    EXPECT_EQ(groups[1].name, "empty");
    EXPECT_TRUE(groups[1].members.empty());
    EXPECT_EQ(groups[2].name, "ops");
    EXPECT_EQ(groups[2].members, std::vector<std::string>{"zed"});
    EXPECT_EQ(groups[2].gid, 2001);
    for (const auto& group : groups)
      EXPECT_EQ(group.members, store->records().find_group(group.name)->members);
  });
}

TEST_P(StoreTest, SettingsAreAbsentUntilSetThenReplaced) {
  store->read([&] { EXPECT_FALSE(store->records().setting("uid_range")); });
  store->write([&] { store->records().set_setting("uid_range", "2000-2999"); });
  store->write([&] { store->records().set_setting("uid_range", "3000-3999"); });
  store->read([&] { EXPECT_EQ(store->records().setting("uid_range").value(), "3000-3999"); });
}

// The housekeeping after every write asks only this; on PostgreSQL a write transaction's first
// statement answers it, and what the transaction bins keeps the answer true.
TEST_P(StoreTest, OldestBinnedIsTheEarliestDeletionOfUsersAndGroups) {
  std::int64_t alice = 0;
  std::int64_t ops = 0;
  store->write([&] {
    EXPECT_FALSE(store->records().oldest_binned_at().has_value());
    alice = store->records().insert_user(make_user("alice", 1000), std::nullopt);
    store->records().insert_user(make_user("bob", 1001), std::nullopt);
    ops = store->records().insert_group(make_group("ops", 2000));
  });
  store->write([&] {
    EXPECT_FALSE(store->records().oldest_binned_at().has_value());
    store->records().bin_group(ops, "2026-03-01T00:00:00.000Z", "test");
    EXPECT_EQ(store->records().oldest_binned_at().value(), "2026-03-01T00:00:00.000Z");
  });
  store->write([&] {
    EXPECT_EQ(store->records().oldest_binned_at().value(), "2026-03-01T00:00:00.000Z");
    store->records().bin_user(alice, "2026-04-01T00:00:00.000Z", "test");
  });
  store->read([&] { EXPECT_EQ(store->records().oldest_binned_at().value(), "2026-03-01T00:00:00.000Z"); });
  store->write([&] { store->records().delete_group(ops); });
  store->read([&] { EXPECT_EQ(store->records().oldest_binned_at().value(), "2026-04-01T00:00:00.000Z"); });
}

TEST_P(StoreTest, AttributeKeysAreDistinctAndSortedAndFollowChanges) {
  std::int64_t carol_id = 0;
  store->read([&] { EXPECT_TRUE(store->records().attribute_keys().empty()); });
  store->write([&] {
    auto alice = make_user("alice", 1000);
    alice.attrs = {{"team", "ops"}, {"shell", "/bin/zsh"}};
    store->records().insert_user(alice, {});
    auto bob = make_user("bob", 1001);
    bob.attrs = {{"team", "dev"}, {"Zone", "x"}, {"home", "/srv/bob"}};
    store->records().insert_user(bob, {});
    auto carol = make_user("carol", 1002);
    carol.attrs = {{"zzz", "1"}};
    carol_id = store->records().insert_user(carol, {});
  });
  store->read([&] {
    EXPECT_EQ(store->records().attribute_keys(),
              (std::vector<std::string>{"Zone", "home", "shell", "team", "zzz"}));
  });
  store->write([&] { store->records().delete_user(carol_id); });
  store->read([&] {
    EXPECT_EQ(store->records().attribute_keys(), (std::vector<std::string>{"Zone", "home", "shell", "team"}));
  });
}

TEST_P(StoreTest, GroupGidByName) {
  store->write([&] { store->records().insert_group(make_group("bob", 777)); });
  store->read([&] {
    EXPECT_EQ(store->records().group_gid("bob").value(), 777);
    EXPECT_FALSE(store->records().group_gid("alice").has_value());
  });
}

TEST_P(StoreTest, MembershipsFollowRenamesAndDeletes) {
  std::int64_t group_id = 0;
  std::int64_t user_id = 0;
  store->write([&] {
    user_id = store->records().insert_user(make_user("alice", 1000), {});
    group_id = store->records().insert_group(make_group("dev", 1000));
    EXPECT_TRUE(store->records().add_member(group_id, user_id));
    EXPECT_FALSE(store->records().add_member(group_id, user_id));
  });
  store->write([&] {
    auto user = store->records().find_user("alice").value();
    user.username = "alice2";
    store->records().update_user(user);
  });
  store->read([&] {
    EXPECT_EQ(store->records().find_group("dev")->members, std::vector<std::string>{"alice2"});
    EXPECT_EQ(store->records().find_user("alice2")->groups, std::vector<std::string>{"dev"});
  });
  store->write([&] { store->records().delete_user(user_id); });
  store->read([&] { EXPECT_TRUE(store->records().find_group("dev")->members.empty()); });
}

TEST_P(StoreTest, ListsWithFiltersSortAndPaging) {
  store->write([&] {
    for (int i = 0; i < 10; ++i) {
      auto user = make_user("user" + std::to_string(i), 2000 - i);
      user.disabled = i % 2 == 1;
      user.attrs = {{"parity", i % 2 ? "odd" : "even"}};
      store->records().insert_user(user, {});
    }
  });
  auto names = [&](const model::UserQuery& query) {
    std::vector<std::string> out;
    store->read([&] {
      store->records().list_users(query, [&](const model::User& u) { out.push_back(u.username); });
    });
    return out;
  };
  model::UserQuery query;
  query.where = {{std::nullopt, "parity", std::string("odd")}};
  EXPECT_EQ(names(query), (std::vector<std::string>{"user1", "user3", "user5", "user7", "user9"}));
  query = {};
  query.enabled = model::EnabledFilter::EnabledOnly;
  query.sort = model::UserField::Uid;
  query.limit = 2;
  query.offset = 1;
  EXPECT_EQ(names(query), (std::vector<std::string>{"user6", "user4"}));
  query = {};
  query.order = model::SortOrder::Descending;
  query.limit = 1;
  EXPECT_EQ(names(query), std::vector<std::string>{"user9"});
}

TEST_P(StoreTest, BulkInsertSetsIdsAndWritesAttributesAndMemberships) {
  std::vector<NewUserRow> rows(3);
  std::int64_t group_id = 0;
  store->write([&] {
    group_id = store->records().insert_group(make_group("devs", 2000));
    store->records().insert_user(make_user("first", 1000), std::nullopt);
    for (int i = 0; i < 3; ++i) {
      rows[i].user = make_user("bulk" + std::to_string(i), 1001 + i);
      rows[i].user.attrs = {{"n", std::to_string(i)}, {"quote", "a\"b\\c{}"}};
      rows[i].user.email = "Bulk" + std::to_string(i) + "@Example.com";
    }
    rows[1].password_hash = "$y$hash";
    rows[2].group_ids = {group_id};
    store->records().insert_users(rows);
  });
  EXPECT_LT(0, rows[0].user.id);
  EXPECT_LT(rows[0].user.id, rows[1].user.id);
  EXPECT_LT(rows[1].user.id, rows[2].user.id);
  store->read([&] {
    const auto user = store->records().find_user("bulk2");
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->id, rows[2].user.id);
    EXPECT_EQ(user->attrs, (model::Attributes{{"n", "2"}, {"quote", "a\"b\\c{}"}}));
    EXPECT_EQ(user->groups, std::vector<std::string>{"devs"});
    EXPECT_EQ(store->records().password_hash(rows[1].user.id).value(), "$y$hash");
    EXPECT_EQ(store->records().user_with_email_key("bulk0@example.com").value(), "bulk0");
    EXPECT_EQ(store->records().count_users(), 4);
  });
}

TEST_P(StoreTest, BulkInsertNamesTheFirstRowBreakingUniqueness) {
  store->write([&] {
    auto taken = make_user("taken", 1500);
    taken.email = "Taken@Example.com";
    store->records().insert_user(taken, std::nullopt);
  });
  const auto first_conflict = [&](std::vector<NewUserRow> rows) -> std::optional<std::size_t> {
    try {
      store->write([&] { store->records().insert_users(rows); });
    } catch (const RowConflict& conflict) {
      return conflict.row;
    }
    return std::nullopt;
  };
  const auto rows_of = [](std::vector<model::User> users) {
    std::vector<NewUserRow> rows(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) rows[i].user = users[i];
    return rows;
  };
  auto emailed = [](model::User user, const std::string& email) {
    user.email = email;
    return user;
  };
  // A username, uid or (case-folded) email the database holds.
  EXPECT_EQ(first_conflict(rows_of({make_user("a", 1000), make_user("taken", 1001)})), 1u);
  EXPECT_EQ(first_conflict(rows_of({make_user("a", 1000), make_user("b", 1001), make_user("c", 1500)})), 2u);
  EXPECT_EQ(first_conflict(rows_of({emailed(make_user("a", 1000), "TAKEN@example.com")})), 0u);
  // Or one an earlier row of the same load has.
  EXPECT_EQ(first_conflict(rows_of({make_user("a", 1000), make_user("b", 1001), make_user("a", 1002)})), 2u);
  EXPECT_EQ(first_conflict(rows_of(
                {emailed(make_user("a", 1000), "x@y.org"), emailed(make_user("b", 1001), "X@Y.org")})),
            1u);
  // The earliest wins whichever rule it breaks.
  EXPECT_EQ(first_conflict(rows_of({make_user("a", 1000), make_user("b", 1000), make_user("taken", 1002)})),
            1u);
  store->read([&] { EXPECT_EQ(store->records().count_users(), 1) << "every failed load rolled back"; });
  // Inside the transaction, the rows before the conflicting one are written and it stays usable,
  // so a loader can go on to report later problems.
  store->write([&] {
    auto rows = rows_of({make_user("before", 1000), make_user("taken", 1001), make_user("after", 1002)});
    EXPECT_THROW(store->records().insert_users(rows), RowConflict);
    EXPECT_TRUE(store->records().find_user("before").has_value());
    EXPECT_FALSE(store->records().find_user("after").has_value());
  });
}

TEST_P(StoreTest, BulkInsertEventsAppendsInOrder) {
  std::vector<StoredEvent> events;
  for (int i = 1; i <= 3; ++i) {
    events.push_back({i, "id-" + std::to_string(i), "user.created", "2026-01-01T00:00:00.000Z",
                      "{\"n\":" + std::to_string(i) + "}"});
  }
  store->write([&] { store->outbox().insert_events(events); });
  std::vector<std::int64_t> sequences;
  store->read([&] {
    EXPECT_EQ(store->outbox().last_event_sequence(), 3);
    store->outbox().list_events(0, std::nullopt, std::nullopt,
                                [&](const StoredEvent& e) { sequences.push_back(e.sequence); });
    EXPECT_EQ(store->outbox().find_event(2)->body, "{\"n\":2}");
  });
  EXPECT_EQ(sequences, (std::vector<std::int64_t>{1, 2, 3}));
}

model::Hook make_hook(const std::optional<std::string>& name) {
  model::Hook hook;
  hook.name = name;
  hook.kind = HookKind::Exec;
  hook.target = "cat";
  hook.created_at = "2026-01-01T00:00:00.000Z";
  hook.created_by = "test";
  return hook;
}

TEST_P(StoreTest, HookIdsAreNeverReusedAndNamesAreUnique) {
  std::int64_t first = 0, second = 0, third = 0;
  store->write([&] {
    first = store->outbox().insert_hook(make_hook("crm"));
    second = store->outbox().insert_hook(make_hook(std::nullopt));
  });
  store->write([&] { store->outbox().delete_hook(second); });
  store->write([&] { third = store->outbox().insert_hook(make_hook(std::nullopt)); });
  EXPECT_GT(second, first);
  EXPECT_GT(third, second) << "the removed highest id is not handed out again";
  store->read([&] {
    EXPECT_EQ(store->outbox().find_hook_named("crm")->id, first);
    EXPECT_FALSE(store->outbox().find_hook_named("nope").has_value());
    EXPECT_FALSE(store->outbox().find_hook(third)->name.has_value());
  });
  EXPECT_ANY_THROW(store->write([&] { store->outbox().insert_hook(make_hook("crm")); }));
}

TEST_P(StoreTest, DeliveryCountsCarryTheNameTheStateAndTheFirstPendingDeliverysTime) {
  std::int64_t hook = 0;
  store->write([&] {
    store->outbox().insert_events(
        {{1, "e1", "user.created", "t", "{}"}, {2, "e2", "user.created", "t", "{}"}});
    hook = store->outbox().insert_hook(make_hook("crm"));
    store->outbox().queue_delivery(hook, 1, 5000);
    store->outbox().queue_delivery(hook, 2, 1000);
    store->outbox().set_hook_disabled(hook, true);
  });
  std::vector<HookDeliveryCounts> counts;
  store->read([&] { counts = store->outbox().delivery_counts(); });
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].name, "crm");
  EXPECT_TRUE(counts[0].disabled);
  EXPECT_EQ(counts[0].pending, 2);
  EXPECT_EQ(counts[0].next_attempt_ms, 5000) << "the first pending one: later ones wait behind it";
  store->write([&] { store->outbox().mark_delivered(hook, 1, "t"); });
  store->write([&] { store->outbox().mark_delivered(hook, 2, "t"); });
  store->read([&] { counts = store->outbox().delivery_counts(); });
  EXPECT_FALSE(counts[0].next_attempt_ms.has_value());
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreTest);
INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(store_backends()), store_test_name);
