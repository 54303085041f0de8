// show's password state, tables that fit the terminal, --no-headers (issue 15).

#include <memory>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pty_session.hpp"

namespace usersctl::e2e {
namespace {

class TerminalOutputTest : public E2eTest {
 protected:
  // A user whose display name and email are far wider than a narrow terminal.
  void arrange_wide() {
    add_user("alice", {"--name", "Alice Pleasance Liddell of Wonderland Lane", "--email",
                       "alice.pleasance.liddell@very-long-domain.example.org"});
    add_user("bob", {"--name", "Bob"});
  }
};
USERSCTL_E2E_INSTANTIATE(TerminalOutputTest);

// Terminal columns of a line (the test data is ASCII but for the ellipsis).
std::size_t columns_of(const std::string& line) {
  std::size_t n = 0;
  for (const unsigned char c : line) n += (c & 0xC0) != 0x80;
  return n;
}

TEST_P(TerminalOutputTest, ShowSaysWhetherAPasswordIsSetNeverTheHash) {
  add_user("none");
  ASSERT_TRUE(MutationSucceeded(cli({"add", "set", "--password-stdin"}, "Pw-For-Set-1\n")));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "locked", "--password-stdin", "--disabled"}, "Pw-Locked-2\n")));
  EXPECT_EQ(show_user("none")["password"], "none");
  EXPECT_EQ(show_user("set")["password"], "set");
  EXPECT_EQ(show_user("locked")["password"], "locked");
  for (const char* format : {"json", "jsonl", "table", "csv", "tsv"}) {
    const RunResult r = cli({"show", "set", "-o", format});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_NE(r.out.find("set"), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find("$y$"), std::string::npos) << format << ": " << r.out;
  }
  EXPECT_EQ(cli({"show", "locked", "--fields", "username,password", "-o", "csv"}).out,
            "username,password\nlocked,locked\n");
  const RunResult table = cli({"show", "set", "-o", "table"});
  EXPECT_NE(table.out.find("password:"), std::string::npos) << table.out;
  // Only show has it: not export, list or the events.
  EXPECT_EQ(cli({"export"}).out.find("\"password\""), std::string::npos);
  EXPECT_EQ(cli({"list"}).out.find("\"password\""), std::string::npos);
  EXPECT_EQ(cli({"events", "list"}).out.find("\"password\""), std::string::npos);
}

TEST_P(TerminalOutputTest, TableFitsTheTerminalWidth) {
  arrange_wide();
  PtyOptions options;
  options.env = env();
  options.stdout_on_terminal = true;
  options.columns = 60;
  PtySession session(usersctl_binary(), {"--db", db_url(), "list"}, options);
  const RunResult r = session.finish();
  ASSERT_EQ(r.exit_code, 0) << session.screen();
  std::vector<std::string> lines;
  std::string screen = session.screen();
  for (std::size_t start = 0, end; start < screen.size(); start = end + 2) {
    end = screen.find("\r\n", start);
    if (end == std::string::npos) end = screen.size();
    lines.push_back(screen.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 3u) << screen;
  EXPECT_EQ(lines[0].rfind("USERNAME", 0), 0u) << screen;
  for (const auto& line : lines) EXPECT_LE(columns_of(line), 60u) << line;
  EXPECT_NE(lines[1].find("…"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("alice"), std::string::npos) << lines[1];
}

TEST_P(TerminalOutputTest, ColumnsVariableLimitsEvenAPipedTable) {
  arrange_wide();
  RunOptions options;
  options.extra_env["COLUMNS"] = "50";
  const RunResult narrow = cli_with({"list", "-o", "table"}, options);
  ASSERT_EQ(narrow.exit_code, 0) << narrow;
  for (const auto& line : split_lines(narrow.out)) EXPECT_LE(columns_of(line), 50u) << line;
  EXPECT_NE(narrow.out.find("…"), std::string::npos) << narrow.out;
  // Without COLUMNS a piped table is never cut to a width.
  const RunResult piped = cli({"list", "-o", "table"});
  std::size_t widest = 0;
  for (const auto& line : split_lines(piped.out)) widest = std::max(widest, columns_of(line));
  EXPECT_GT(widest, 80u) << piped.out;
  EXPECT_NE(piped.out.find("Alice Pleasance Liddell of Wonderland"), std::string::npos) << piped.out;
}

TEST_P(TerminalOutputTest, NoHeadersForTableCsvAndTsv) {
  add_user("alice", {"--name", "Alice"});
  add_user("bob", {"--name", "Bob"});
  const RunResult table = cli({"list", "-o", "table", "--no-headers", "--fields", "username,name"});
  EXPECT_EQ(table.out, "alice  Alice\nbob    Bob\n") << table;
  const RunResult csv = cli({"list", "-o", "csv", "--no-headers", "--fields", "username,name"});
  EXPECT_EQ(csv.out, "alice,Alice\nbob,Bob\n") << csv;
  const RunResult tsv = cli({"--no-headers", "group", "list", "-o", "tsv"});
  EXPECT_EQ(tsv.exit_code, 0) << tsv;
  EXPECT_EQ(tsv.out, "");
  add_group("ops", {"--gid", "5000"});
  const RunResult groups = cli({"group", "list", "-o", "tsv", "--fields", "name,gid", "--no-headers"});
  EXPECT_EQ(groups.out, "ops\t5000\n") << groups;
  const RunResult with = cli({"list", "-o", "csv", "--fields", "username"});
  EXPECT_EQ(with.out, "username\nalice\nbob\n") << "the header stays the default";
}

}  // namespace
}  // namespace usersctl::e2e
