// Input that looks like one thing and is another: a CSV that starts with a byte order mark (Excel's
// "CSV UTF-8") imports as the same CSV without it; a JSON object naming a key twice is refused
// (nlohmann kept the last: {"username":"alice","username":"root"} imported root); invisible
// format characters (U+200B, U+202E, U+FEFF ...) are refused in emails and display names.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class LookalikeInputTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(LookalikeInputTest);

TEST_P(LookalikeInputTest, CsvWithAByteOrderMarkImports) {
  const std::string file = temp_file("excel.csv", "\xEF\xBB\xBFusername,email\nalice,alice@example.com\n");
  const RunResult r = cli({"import", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("alice")["email"], "alice@example.com");
}

TEST_P(LookalikeInputTest, RepeatedJsonKeyIsRefusedWithItsLine) {
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"bob\"}\n"
                                     "{\"username\":\"alice\",\"username\":\"root\"}\n"
                                     "{\"username\":\"carol\",\"attrs\":{\"team\":\"a\",\"team\":\"b\"}}\n");
  const RunResult r = cli({"import", file});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_NE(r.err.find("line 2: key 'username' appears twice"), std::string::npos) << r;
  EXPECT_NE(r.err.find("line 3: key 'team' appears twice"), std::string::npos) << r;
  EXPECT_TRUE(list_usernames().empty());
  EXPECT_TRUE(Failed(cli({"apply", "-"}, "{\"username\":\"alice\",\"username\":\"root\"}\n"), 5, "line 1"));
}

TEST_P(LookalikeInputTest, FormatCharactersAreRefusedInEmailsAndNames) {
  add_user("alice", {"--email", "alice@example.com"});
  for (const std::string cf : {"\u200b", "\u202e", "\ufeff", "\u2066", "\u00ad"}) {
    EXPECT_TRUE(
        Failed(cli({"add", "alice2", "--email", "alice" + cf + "@example.com"}), 5, "format character"))
        << cf;
    EXPECT_TRUE(Failed(cli({"update", "alice", "--name", "Al" + cf + "ice"}), 5, "format character")) << cf;
  }
  const std::string file =
      temp_file("users.jsonl", "{\"username\":\"eve\",\"email\":\"alice\u200b@example.com\"}\n");
  EXPECT_TRUE(Failed(cli({"import", file}), 5, "line 1"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  EXPECT_EQ(show_user("alice")["name"], "");
}

}  // namespace
}  // namespace usersctl::e2e
