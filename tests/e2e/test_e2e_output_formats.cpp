// -o table|json|jsonl|csv|tsv and --fields, for show and list (README.md, "Output").

#include <sstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

const Row kColumns = {
    "username",   "uid",        "gid",        "name",       "email",      "home",       "shell",
    "groups",     "ssh_keys",   "attrs",      "disabled",   "valid_from", "expires_at", "password_changed_at",
    "created_at", "updated_at", "created_by", "updated_by", "version"};

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

class OutputFormatTest : public E2eTest {
 protected:
  void add_two_users() {
    // gids below the allocation range, so that the users get 1000 and 1001 (one id space).
    add_group("devs", {"--gid", "500"});
    add_group("admins", {"--gid", "501"});
    add_user("alice", {"--name", "Alice", "--email", "alice@example.com", "--attr", "team=ops", "--group",
                       "devs", "--group", "admins"});
    add_user("bob", {"--name", "Bob"});
  }
};
USERSCTL_E2E_INSTANTIATE(OutputFormatTest);

TEST_P(OutputFormatTest, JsonListIsOneArray) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "json"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  json users = parse_json(r.out);
  ASSERT_TRUE(users.is_array()) << r.out;
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["username"], "alice");
  EXPECT_EQ(users[0]["groups"], json::array({"admins", "devs"}));
  EXPECT_EQ(users[1]["username"], "bob");
}

TEST_P(OutputFormatTest, JsonlIsOneCompactObjectPerLine) {
  add_two_users();
  const RunResult r = cli({"list", "--output", "jsonl"});
  ASSERT_TRUE(Succeeded(r));
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(json::parse(lines[0])["username"], "alice");
  EXPECT_EQ(json::parse(lines[1])["username"], "bob");
}

TEST_P(OutputFormatTest, OutputOptionWorksBeforeAndAfterTheSubcommand) {
  add_two_users();
  const RunResult before = cli({"-o", "json", "list"});
  const RunResult after = cli({"list", "-o", "json"});
  const RunResult long_form = cli({"list", "--output=json"});
  ASSERT_TRUE(Succeeded(before));
  EXPECT_EQ(before.out, after.out);
  EXPECT_EQ(before.out, long_form.out);
}

TEST_P(OutputFormatTest, CsvHasHeaderAndRfc4180Rows) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "csv"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  const Rows rows = parse_delimited(r.out, ',');
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_EQ(rows[0], kColumns);
  ASSERT_EQ(rows[1].size(), kColumns.size()) << r.out;
  EXPECT_EQ(rows[1][0], "alice");
  EXPECT_EQ(rows[1][1], "1000");
  EXPECT_EQ(rows[1][2], "1000");  // gid: the private group
  EXPECT_EQ(rows[1][3], "Alice");
  EXPECT_EQ(rows[1][4], "alice@example.com");
  EXPECT_EQ(rows[1][5], "/home/alice");
  EXPECT_EQ(rows[1][6], "/bin/bash");
  EXPECT_EQ(rows[1][7], "admins,devs");                              // groups joined with ','
  EXPECT_EQ(rows[1][8], "");                                         // no SSH keys
  EXPECT_EQ(json::parse(rows[1][9]), (json{{"team", "ops"}}));       // attrs as JSON
  EXPECT_EQ(rows[1][9].find(' '), std::string::npos) << rows[1][9];  // compact
  EXPECT_EQ(rows[1][10], "false");
  EXPECT_TRUE(is_rfc3339_utc(rows[1][14])) << rows[1][14];
  EXPECT_EQ(rows[1][16], "tester");
  EXPECT_EQ(rows[1][18], "1");
  ASSERT_EQ(rows[2].size(), kColumns.size()) << r.out;
  EXPECT_EQ(rows[2][0], "bob");
  EXPECT_EQ(rows[2][4], "");  // no email
  EXPECT_EQ(rows[2][7], "");  // no groups
  // Cells with a comma or a quote are quoted, quotes doubled.
  EXPECT_NE(r.out.find("\"admins,devs\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"{\"\"team\"\":\"\"ops\"\"}\""), std::string::npos) << r.out;
}

TEST_P(OutputFormatTest, CsvQuotesCommasAndQuotes) {
  add_user("bob", {"--name", "Smith, \"Bob\""});
  const RunResult r = cli({"list", "-o", "csv", "--fields", "username,name"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(parse_delimited(r.out, ','), (Rows{{"username", "name"}, {"bob", "Smith, \"Bob\""}}));
  EXPECT_NE(r.out.find("\"Smith, \"\"Bob\"\"\""), std::string::npos) << r.out;
}

TEST_P(OutputFormatTest, CsvAndTsvNeutraliseFormulas) {
  add_user("a", {"--name", "=1+2*A1"});
  add_user("b", {"--name", "+1 555"});
  add_user("c", {"--name=-2+3"});  // '=' form: CLI11 would read "-2+3" as an option
  add_user("d", {"--name", "@cmd"});
  add_user("e", {"--name", "plain"});
  for (const auto& [format, separator] :
       std::vector<std::pair<std::string, char>>{{"csv", ','}, {"tsv", '\t'}}) {
    const RunResult r = cli({"list", "-o", format, "--fields", "username,name"});
    ASSERT_TRUE(Succeeded(r)) << format;
    EXPECT_EQ(parse_delimited(r.out, separator), (Rows{{"username", "name"},
                                                       {"a", "'=1+2*A1"},
                                                       {"b", "'+1 555"},
                                                       {"c", "'-2+3"},
                                                       {"d", "'@cmd"},
                                                       {"e", "plain"}}))
        << format << ":\n"
        << r.out;
  }
  // The stored value is untouched: only the spreadsheet rendering is neutralised.
  EXPECT_EQ(show_user("a")["name"], "=1+2*A1");
}

TEST_P(OutputFormatTest, TsvHasHeaderAndTabSeparatedRows) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "tsv", "--fields", "username,uid,name,email"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "username\tuid\tname\temail");
  EXPECT_EQ(lines[1], "alice\t1000\tAlice\talice@example.com");
  EXPECT_EQ(lines[2], "bob\t1001\tBob\t");
}

TEST_P(OutputFormatTest, TsvFullHeader) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "tsv"});
  ASSERT_TRUE(Succeeded(r));
  const Rows rows = parse_delimited(r.out, '\t');
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_EQ(rows[0], kColumns);
  EXPECT_EQ(rows[1][7], "admins,devs");
}

TEST_P(OutputFormatTest, TableHasUpperCaseHeader) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "table"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  const auto lines = split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  const auto header = words(lines[0]);
  ASSERT_GE(header.size(), 3u) << lines[0];
  EXPECT_EQ(header[0], "USERNAME");
  EXPECT_EQ(header[1], "UID");
  EXPECT_EQ(header[2], "NAME");
  EXPECT_EQ(r.out.find("$y$"), std::string::npos);
  // One line per user after the header (ignoring a possible separator line).
  std::vector<std::string> first_words;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto cells = words(lines[i]);
    if (!cells.empty() && (cells[0] == "alice" || cells[0] == "bob")) first_words.push_back(cells[0]);
  }
  EXPECT_EQ(first_words, (std::vector<std::string>{"alice", "bob"}));
}

TEST_P(OutputFormatTest, TableWithFields) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "table", "--fields", "uid,username"});
  ASSERT_TRUE(Succeeded(r));
  const auto lines = split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_EQ(words(lines[0]), (std::vector<std::string>{"UID", "USERNAME"}));
  EXPECT_EQ(words(lines.back()), (std::vector<std::string>{"1001", "bob"}));
}

TEST_P(OutputFormatTest, TableKeepsUnicode) {
  add_user("zoe", {"--name", "Zo\xc3\xab M\xc3\xbcller"});
  const RunResult r = cli({"list", "-o", "table", "--fields", "username,name"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_NE(r.out.find("Zo\xc3\xab M\xc3\xbcller"), std::string::npos) << r.out;
}

TEST_P(OutputFormatTest, FieldsRestrictAndOrderJsonKeys) {
  add_two_users();
  for (const char* format : {"json", "jsonl"}) {
    const RunResult r = cli({"list", "-o", format, "--fields", "uid,username"});
    ASSERT_TRUE(Succeeded(r)) << format;
    nlohmann::ordered_json first;
    if (std::string(format) == "json") {
      const auto all = nlohmann::ordered_json::parse(r.out);
      ASSERT_TRUE(all.is_array());
      ASSERT_EQ(all.size(), 2u);
      first = all[0];
    } else {
      const auto lines = split_lines(r.out);
      ASSERT_EQ(lines.size(), 2u);
      first = nlohmann::ordered_json::parse(lines[0]);
    }
    EXPECT_EQ(first.dump(), R"({"uid":1000,"username":"alice"})") << format;
  }
}

TEST_P(OutputFormatTest, FieldsApplyToShow) {
  add_two_users();
  const RunResult r = cli({"show", "alice", "--fields", "username,email"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(nlohmann::ordered_json::parse(r.out).dump(),
            R"({"username":"alice","email":"alice@example.com"})");
}

TEST_P(OutputFormatTest, FieldsWithAttributeKey) {
  add_two_users();
  const RunResult r = cli({"list", "-o", "csv", "--fields", "username,attrs.team"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(parse_delimited(r.out, ','), (Rows{{"username", "attrs.team"}, {"alice", "ops"}, {"bob", ""}}));

  const RunResult jr = cli({"list", "-o", "jsonl", "--fields", "username,attrs.team"});
  ASSERT_TRUE(Succeeded(jr));
  auto users = parse_jsonl(jr.out);
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["attrs.team"], "ops");
  EXPECT_EQ(users[0].size(), 2u) << users[0].dump();

  const RunResult tr = cli({"list", "-o", "table", "--fields", "username,attrs.team"});
  ASSERT_TRUE(Succeeded(tr));
  EXPECT_EQ(words(split_lines(tr.out).at(0)), (std::vector<std::string>{"USERNAME", "ATTRS.TEAM"}));
}

TEST_P(OutputFormatTest, UnknownFieldFails) {
  add_two_users();
  const RunResult r = cli({"list", "--fields", "username,shoe_size"});
  EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 5) << r;
  EXPECT_TRUE(Failed(r, r.exit_code, "shoe_size"));
}

TEST_P(OutputFormatTest, UnknownFormatIsUsageError) {
  add_two_users();
  EXPECT_TRUE(Failed(cli({"list", "-o", "xml"}), 2));
  EXPECT_TRUE(Failed(cli({"show", "alice", "-o", "yaml"}), 2));
}

TEST_P(OutputFormatTest, ShowInEveryFormat) {
  add_two_users();
  const RunResult jsonl = cli({"show", "alice", "-o", "jsonl"});
  ASSERT_TRUE(Succeeded(jsonl));
  ASSERT_EQ(split_lines(jsonl.out).size(), 1u) << jsonl.out;
  EXPECT_EQ(json::parse(jsonl.out), show_user("alice"));

  const RunResult csv = cli({"show", "alice", "-o", "csv"});
  ASSERT_TRUE(Succeeded(csv));
  const Rows rows = parse_delimited(csv.out, ',');
  ASSERT_EQ(rows.size(), 2u) << csv.out;
  Row show_columns = kColumns;
  show_columns.emplace_back("password");  // show's password state (issue 15)
  EXPECT_EQ(rows[0], show_columns);
  EXPECT_EQ(rows[1][0], "alice");
  EXPECT_EQ(rows[1].back(), "none");

  const RunResult table = cli({"show", "alice", "-o", "table"});
  ASSERT_TRUE(Succeeded(table));
  EXPECT_NE(table.out.find("alice@example.com"), std::string::npos) << table.out;
}

TEST_P(OutputFormatTest, CsvRoundTripsUnicode) {
  add_user("lilei", {"--name", "\xe6\x9d\x8e\xe9\x9b\xb7"});
  const RunResult r = cli({"list", "-o", "csv", "--fields", "username,name"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(parse_delimited(r.out, ','), (Rows{{"username", "name"}, {"lilei", "\xe6\x9d\x8e\xe9\x9b\xb7"}}));
}

// ---- What an admin at a terminal sees ----

TEST_P(OutputFormatTest, ListOnATerminalIsATable) {
  add_two_users();
  const RunResult r = cli_on_terminal({"list"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  const auto lines = split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  const auto header = words(lines[0]);
  ASSERT_GE(header.size(), 2u) << lines[0];
  EXPECT_EQ(header[0], "USERNAME");
  EXPECT_EQ(header[1], "UID");
  EXPECT_EQ(r.out.find('{'), std::string::npos) << "not JSON on a terminal:\n" << r.out;
  EXPECT_NE(r.out.find("alice"), std::string::npos);
  EXPECT_NE(r.out.find("bob"), std::string::npos);
}

TEST_P(OutputFormatTest, ShowOnATerminalIsNotJson) {
  add_two_users();
  const RunResult r = cli_on_terminal({"show", "alice"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_NE(r.out.find("alice@example.com"), std::string::npos) << r.out;
  EXPECT_NE(r.out.rfind("{", 0), 0u) << "not JSON on a terminal:\n" << r.out;
}

TEST_P(OutputFormatTest, ExplicitFormatWinsOnATerminal) {
  add_two_users();
  const RunResult r = cli_on_terminal({"list", "-o", "jsonl", "--fields", "username"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "{\"username\":\"alice\"}\n{\"username\":\"bob\"}\n");
}

TEST_P(OutputFormatTest, ErrorsOnATerminalStayOnStderr) {
  add_user("alice");  // a database without ghost (a read never creates one)
  const RunResult r = cli_on_terminal({"show", "ghost"});
  EXPECT_TRUE(Failed(r, 3, "ghost"));
}

}  // namespace
}  // namespace usersctl::e2e
