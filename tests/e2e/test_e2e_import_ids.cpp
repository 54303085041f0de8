// Import allocates uids clear of the ids the file itself gives on later lines, and reports a uid
// range that runs out with the line of each record left without one (exit 4 when that is the only
// kind of problem, 5 with bad input beside it), among the other problems in line order.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class ImportIdsTest : public E2eTest {
 protected:
  void set_uid_range(const std::string& range) const {
    ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "uid_range", range})));
  }
};
USERSCTL_E2E_INSTANTIATE(ImportIdsTest);

TEST_P(ImportIdsTest, AllocatedUidAvoidsAnExplicitUidOnALaterLine) {
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"auto1\"}\n"
                                     "{\"username\":\"auto2\"}\n"
                                     "{\"username\":\"given\",\"uid\":1000}\n"
                                     "{\"username\":\"given2\",\"uid\":1001,\"gid\":1001}\n");
  const RunResult r = cli({"import", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("given")["uid"], 1000);
  EXPECT_EQ(show_user("given2")["uid"], 1001);
  EXPECT_EQ(show_user("auto1")["uid"], 1002);
  EXPECT_EQ(show_user("auto2")["uid"], 1003);
}

TEST_P(ImportIdsTest, SameFromStdinAndCsv) {
  const RunResult r = cli({"import", "--format", "csv", "-"}, "username,uid\nauto1,\ngiven,1000\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("given")["uid"], 1000);
  EXPECT_EQ(show_user("auto1")["uid"], 1001);
}

// The first pass must not use up an input that cannot be read twice (a pipe given by name).
TEST_P(ImportIdsTest, PipeGivenByNameIsReadWhole) {
  const RunResult r = cli({"import", "--format", "jsonl", "/dev/stdin"},
                          "{\"username\":\"auto1\"}\n{\"username\":\"given\",\"uid\":1000}\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("given")["uid"], 1000);
  EXPECT_EQ(show_user("auto1")["uid"], 1001);
}

// With the top of the range taken, allocation searches the gaps: those too skip the file's ids.
TEST_P(ImportIdsTest, GapSearchAvoidsTheFilesIds) {
  set_uid_range("1000-1004");
  add_user("top", {"--uid", "1004"});
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"auto1\"}\n"
                                     "{\"username\":\"auto2\"}\n"
                                     "{\"username\":\"given\",\"uid\":1000}\n");
  const RunResult r = cli({"import", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("given")["uid"], 1000);
  EXPECT_EQ(show_user("auto1")["uid"], 1001);
  EXPECT_EQ(show_user("auto2")["uid"], 1002);
}

TEST_P(ImportIdsTest, ExhaustedRangeIsAConflictWithTheLine) {
  set_uid_range("1000-1001");
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"auto1\"}\n"
                                     "{\"username\":\"given\",\"uid\":1000}\n"
                                     "{\"username\":\"given2\",\"uid\":1001}\n");
  const RunResult r = cli({"import", file});
  EXPECT_EQ(r.exit_code, 4) << r;
  EXPECT_NE(r.err.find("line 1: user 'auto1': no free uid in uid_range 1000-1001"), std::string::npos) << r;
  EXPECT_EQ(r.err.find("line 2"), std::string::npos) << "the explicit uids are fine: " << r;
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(ImportIdsTest, ExhaustionIsReportedInLineOrderWithOtherProblems) {
  set_uid_range("1000-1001");
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"Bad\"}\n"
                                     "{\"username\":\"a\"}\n"
                                     "{\"username\":\"b\"}\n"
                                     "{\"username\":\"c\"}\n"
                                     "{\"username\":\"d\",\"email\":\"not-an-email\"}\n");
  const RunResult r = cli({"import", file});
  EXPECT_EQ(r.exit_code, 5) << "bad input beside the conflict: " << r;
  const auto lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 4u) << r;
  EXPECT_NE(lines[0].find("line 1: user name 'Bad'"), std::string::npos) << r;
  EXPECT_NE(lines[1].find("line 4: user 'c': no free uid"), std::string::npos) << r;
  EXPECT_NE(lines[2].find("line 5:"), std::string::npos) << r;
  EXPECT_NE(lines[3].find("3 problems; nothing was imported"), std::string::npos) << r;
  EXPECT_TRUE(list_usernames().empty());
}

}  // namespace
}  // namespace usersctl::e2e
