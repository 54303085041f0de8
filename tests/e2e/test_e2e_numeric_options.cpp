// Every integer option and argument is decimal, not empty and within its range: a bad value is a
// usage error (exit 2) naming the option and the value, and changes nothing. (CLI11 alone read ""
// as 0, so `--uid ""` made a second root, and "010" as octal 8.)

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

struct NumericOption {
  std::vector<std::string> command;  // up to the option
  std::string option;
  bool is_id;  // ids stop at 4294967295 (reserved: exit 5); counts at INT64_MAX
};

const std::vector<NumericOption>& numeric_options() {
  static const std::vector<NumericOption> options = {
      {{"add", "bob"}, "--uid", true},
      {{"add", "bob"}, "--gid", true},
      {{"update", "alice"}, "--uid", true},
      {{"update", "alice"}, "--gid", true},
      {{"update", "alice"}, "--if-version", false},
      {{"group", "create", "devs"}, "--gid", true},
      {{"list"}, "--limit", false},
      {{"list"}, "--offset", false},
      {{"search", "a"}, "--limit", false},
      {{"events", "list"}, "--since", false},
      {{"events", "list"}, "--limit", false},
      {{"events", "tail"}, "--since", false},
      {{"apply", "-", "--prune"}, "--max-deletes", false},
      {{"history", "alice"}, "--limit", false},
      {{"events", "consume", "crm", "--exec", "cat"}, "--batch", false},
      {{"events", "consume", "crm", "--exec", "cat"}, "--max-attempts", false},
      {{"hook", "add", "--exec", "cat"}, "--timeout", false},
      {{"purge"}, "--older-than", false},
  };
  return options;
}

class NumericOptionTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(NumericOptionTest);

TEST_P(NumericOptionTest, BadValuesAreUsageErrorsNamingOptionAndValue) {
  add_user("alice", {"--uid", "2000"});
  const json before = show_user("alice");
  std::vector<std::string> bad = {
      "", "010", "00", "+5", " 5", "5 ", "-1", "0x10", "1e3", "5x", "99999999999999999999"};
  for (const auto& numeric : numeric_options()) {
    std::vector<std::string> values = bad;
    if (numeric.is_id) values.insert(values.end(), {"99999999999", "4294967296"});
    for (const auto& value : values) {
      std::vector<std::string> args = numeric.command;
      args.insert(args.end(), {numeric.option, value});  // as `--uid "$UID"` passes it
      const RunResult r = cli(args, "{\"username\":\"alice\"}\n");
      EXPECT_TRUE(Failed(r, 2, numeric.option)) << numeric.option << " '" << value << "'";
      EXPECT_NE(r.err.find("'" + value + "'"), std::string::npos) << r.err;
    }
    std::vector<std::string> args = numeric.command;
    args.push_back(numeric.option + "=");
    EXPECT_TRUE(Failed(cli(args, "{\"username\":\"alice\"}\n"), 2, numeric.option)) << numeric.option;
  }
  EXPECT_EQ(show_user("alice"), before);
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  EXPECT_TRUE(list_groups().empty());
  EXPECT_TRUE(parse_jsonl(cli({"hook", "list", "-o", "jsonl"}).out).empty());
}

// `purge --older-than ""` read as 0 days purged the whole recycle bin for good; `hook add
// --timeout 010` gave the hook 8 s.
TEST_P(NumericOptionTest, AnEmptyDayCountPurgesNothing) {
  add_user("bob");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "bob", "--yes"})));
  for (const std::string value : {"", "00", "0x1"}) {
    EXPECT_TRUE(Failed(cli({"purge", "--older-than", value}), 2, "--older-than")) << "'" << value << "'";
  }
  EXPECT_EQ(parse_jsonl(cli({"list", "--deleted"}).out).size(), 1u) << "bob was purged";
  EXPECT_TRUE(Failed(cli({"hook", "add", "--exec", "cat", "--timeout", "010"}), 2, "'010'"));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--exec", "cat", "--timeout", "3601"}), 2, "--timeout"));
}

TEST_P(NumericOptionTest, EventSequenceArgumentsAreDecimal) {
  add_user("alice");
  for (const std::string value : {"", "010", "+1", " 1", "1x", "99999999999999999999"}) {
    const RunResult r = cli({"events", "redeliver", value});
    EXPECT_TRUE(Failed(r, 2, "SEQ")) << "'" << value << "'";
    EXPECT_NE(r.err.find("'" + value + "'"), std::string::npos) << r.err;
  }
}

TEST_P(NumericOptionTest, GoodValuesStillWork) {
  add_user("alice", {"--uid=0"});
  add_group("wheel", {"--gid", "10"});
  add_user("bob", {"--uid", "4294967294", "--gid", "10"});
  EXPECT_EQ(show_user("alice")["uid"], 0);
  EXPECT_EQ(show_user("bob")["gid"], 10);
  EXPECT_EQ(list_usernames({"--limit", "1", "--offset", "0"}).size(), 1u);
  EXPECT_TRUE(Succeeded(cli({"events", "list", "--since=1", "--limit=9223372036854775807"})));
  EXPECT_TRUE(Succeeded(cli({"history", "alice", "--limit", "1"})));
  EXPECT_TRUE(MutationSucceeded(cli({"hook", "add", "--exec", "cat", "--timeout", "3600"})));
  EXPECT_EQ(parse_json(cli({"hook", "show", "1", "-o", "json"}).out)["timeout"], 3600);
}

}  // namespace
}  // namespace usersctl::e2e
