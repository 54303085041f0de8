// --read-db / USERSCTL_READ_DB / the profile key read_db (issue 19): read-only commands (show,
// list, search, export, events list|tail, __complete) use the read URL (a standby in production);
// everything else, writes first, uses the main one. Here the read URL is a second SQLite file, so
// which database answered is visible.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class ReadDbTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    replica_ = (temp_dir() / "replica.db").string();
    const RunResult r = run({"--db", replica_, "add", "replica-only"});
    ASSERT_EQ(r.exit_code, 0) << r;
    add_user("primary-only");
  }
  std::vector<std::string> names(const RunResult& r) const {
    std::vector<std::string> out;
    for (auto& user : parse_jsonl(r.out)) out.push_back(user.value("username", ""));
    return out;
  }
  std::string replica_;
};
USERSCTL_E2E_INSTANTIATE(ReadDbTest);

TEST_P(ReadDbTest, ReadOnlyCommandsUseTheReadUrlAndWritesTheMainOne) {
  const std::vector<std::string> only_replica{"replica-only"};
  EXPECT_EQ(names(cli({"--read-db", replica_, "list"})), only_replica);
  EXPECT_EQ(names(cli({"--read-db", replica_, "export"})), only_replica);
  EXPECT_EQ(names(cli({"--read-db", replica_, "search", "only"})), only_replica);
  EXPECT_EQ(cli({"--read-db", replica_, "show", "replica-only"}).exit_code, 0);
  EXPECT_EQ(cli({"--read-db", replica_, "show", "primary-only"}).exit_code, 3);
  auto events = parse_jsonl(cli({"--read-db", replica_, "events", "list"}).out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value("subject", ""), "users/replica-only");
  auto tailed = parse_jsonl(cli({"--read-db", replica_, "events", "tail"}).out);
  ASSERT_EQ(tailed.size(), 1u);
  EXPECT_EQ(tailed[0].value("subject", ""), "users/replica-only");
  EXPECT_EQ(run({"__complete", "users", "rep", "--db", db_url(), "--read-db", replica_}).out,
            "replica-only\n");

  // A write (and any command that is not read-only) goes to the main database.
  EXPECT_EQ(cli({"--read-db", replica_, "add", "bob"}).exit_code, 0);
  EXPECT_EQ(cli({"--read-db", replica_, "update", "primary-only", "--name", "P"}).exit_code, 0);
  EXPECT_EQ(names(cli({"list"})), (std::vector<std::string>{"bob", "primary-only"}));
  EXPECT_EQ(names(run({"--db", replica_, "list"})), only_replica);
}

TEST_P(ReadDbTest, TheEnvironmentAndTheProfileGiveTheReadUrlToo) {
  const std::vector<std::string> only_replica{"replica-only"};
  EXPECT_EQ(names(run({"--db", db_url(), "list"}, {}, {{"USERSCTL_READ_DB", replica_}})), only_replica);

  const auto config_dir = home_dir() / ".config" / "usersctl";
  std::filesystem::create_directories(config_dir);
  std::ofstream(config_dir / "config.json")
      << json{{"profiles", {{"ha", {{"db", db_url()}, {"read_db", replica_}}}}}}.dump();
  EXPECT_EQ(names(run({"--profile", "ha", "list"})), only_replica);
  EXPECT_EQ(run({"--profile", "ha", "add", "carol"}).exit_code, 0);
  EXPECT_EQ(names(cli({"list"})), (std::vector<std::string>{"carol", "primary-only"}));
}

}  // namespace
}  // namespace usersctl::e2e
