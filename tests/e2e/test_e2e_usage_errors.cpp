// Usage errors (exit 2): unknown options and subcommands, missing arguments, bad option values.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class UsageErrorTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(UsageErrorTest);

TEST_P(UsageErrorTest, UnknownOptionIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"list", "--bogus"}), 2, "--bogus"));
  EXPECT_TRUE(Failed(cli({"--bogus", "list"}), 2, "--bogus"));
  EXPECT_TRUE(Failed(cli({"add", "bob", "--colour", "red"}), 2));
  EXPECT_TRUE(Failed(cli({"show", "bob"}), 3)) << "a usage error changes nothing";
}

TEST_P(UsageErrorTest, UnknownSubcommandSuggestsTheClosestOne) {
  EXPECT_TRUE(Failed(cli({"lst"}), 2, "list"));
  EXPECT_TRUE(Failed(cli({"ad", "alice"}), 2, "add"));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6, "no database")) << "not even the database was created";
}

TEST_P(UsageErrorTest, MissingPositionalArguments) {
  EXPECT_TRUE(Failed(cli({"add"}), 2));
  EXPECT_TRUE(Failed(cli({"update"}), 2));
  EXPECT_TRUE(Failed(cli({"delete"}), 2));
  EXPECT_TRUE(Failed(cli({"show"}), 2));
  EXPECT_TRUE(Failed(cli({"passwd"}), 2));
  EXPECT_TRUE(Failed(cli({"check-password"}), 2));
}

TEST_P(UsageErrorTest, MissingOptionValue) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--email"}), 2));
  EXPECT_TRUE(Failed(cli({"list", "--where"}), 2));
  EXPECT_TRUE(Failed(cli({"list", "-o"}), 2));
  EXPECT_TRUE(Failed(run({"list", "--db"}), 2));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6, "no database")) << "not even the database was created";
}

TEST_P(UsageErrorTest, ExtraPositionalArgumentIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"show", "alice", "bob"}), 2));
  EXPECT_TRUE(Failed(cli({"add", "bob", "carol"}), 2));
  EXPECT_TRUE(Failed(cli({"show", "bob"}), 3));
}

TEST_P(UsageErrorTest, BadOutputFormatIsUsageError) {
  EXPECT_TRUE(Failed(cli({"list", "-o", "xml"}), 2, "xml"));
  EXPECT_TRUE(Failed(cli({"-o", "", "list"}), 2));
}

TEST_P(UsageErrorTest, HelpGoesToStdoutAndSucceeds) {
  const RunResult r = cli({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("add"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("list"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_P(UsageErrorTest, SubcommandHelpSucceeds) {
  const RunResult r = cli({"add", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("--email"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--password-stdin"), std::string::npos) << r.out;
}

TEST_P(UsageErrorTest, UnknownGroupSubcommandIsUsageError) {
  EXPECT_TRUE(Failed(cli({"group", "lst"}), 2, "list"));
}

}  // namespace
}  // namespace usersctl::e2e
