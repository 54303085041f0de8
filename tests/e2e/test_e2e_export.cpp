// export --format jsonl|csv|passwd|group (the man page (COMMANDS); issue 7).

#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "sqlite_probe.hpp"

namespace usersctl::e2e {
namespace {

std::vector<std::string> split_on(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(separator, start);
    fields.push_back(line.substr(start, end - start));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

class ExportTest : public E2eTest {
 protected:
  // alice: everything set, a display name with a comma and quotes, her own home and shell.
  // bob: unicode name, no email, a same-named group as his primary group that passwd must use.
  // carol: no name, disabled, no groups. "empty": a group without members.
  void add_fixture() {
    add_group("staff", {"--gid", "500"});
    add_group("bob", {"--gid", "777"});
    add_group("empty", {"--gid", "600"});
    add_user("alice", {"--uid", "1000", "--name", "Liddell, \"Alice\"", "--email", "alice@example.com",
                       "--group", "staff", "--home", "/srv/alice", "--shell", "/bin/zsh"});
    add_user("bob", {"--uid", "1001", "--name", "Bøb Ünïcødé 山田", "--group", "staff", "--attr", "team=ops",
                     "--primary-group", "bob"});
    add_user("carol", {"--uid", "2000", "--disabled", "--attr", "lang=de"});
  }
};
USERSCTL_E2E_INSTANTIATE(ExportTest);

TEST_P(ExportTest, JsonlIsExactlyWhatListPrints) {
  add_fixture();
  const RunResult list = cli({"list", "-o", "jsonl"});
  ASSERT_TRUE(Succeeded(list));
  for (const auto& args : {std::vector<std::string>{"export"}, {"export", "--format", "jsonl"}}) {
    const RunResult r = cli(args);
    ASSERT_TRUE(Succeeded(r));
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, list.out);
  }
  const auto records = parse_jsonl(list.out);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0]["username"], "alice");
  EXPECT_EQ(records[1]["name"], "Bøb Ünïcødé 山田");
  EXPECT_EQ(records[2]["username"], "carol");
}

TEST_P(ExportTest, CsvHasRecordColumnsThenOneColumnPerAttributeKey) {
  add_fixture();
  const RunResult r = cli({"export", "--format", "csv"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(
      r.out,
      "username,name,email,uid,gid,home,shell,disabled,groups,valid_from,expires_at,attrs.lang,attrs."
      "team\n"
      "alice,\"Liddell, \"\"Alice\"\"\",alice@example.com,1000,1000,/srv/alice,/bin/zsh,false,staff,,,,\n"
      "bob,Bøb Ünïcødé 山田,,1001,777,/home/bob,/bin/bash,false,staff,,,,ops\n"
      "carol,,,2000,2000,/home/carol,/bin/bash,true,,,,de,\n");
  // An RFC 4180 reader gets the values back.
  const auto rows = parse_delimited(r.out, ',');
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 13u);
  EXPECT_EQ(rows[1][1], "Liddell, \"Alice\"");
}

TEST_P(ExportTest, CsvJoinsSeveralGroupsWithCommas) {
  add_group("admins");
  add_group("devs");
  add_user("dana", {"--group", "devs", "--group", "admins"});
  const RunResult r = cli({"export", "--format", "csv"});
  ASSERT_TRUE(Succeeded(r));
  const auto rows = parse_delimited(r.out, ',');
  ASSERT_EQ(rows.size(), 2u) << r.out;
  EXPECT_EQ(rows[0], (std::vector<std::string>{"username", "name", "email", "uid", "gid", "home", "shell",
                                               "disabled", "groups", "valid_from", "expires_at"}));
  EXPECT_EQ(rows[1][8], "admins,devs");
}

TEST_P(ExportTest, PasswdLinesAreSevenFieldsWithPrivateGroupGidHomeAndShell) {
  add_fixture();
  const RunResult r = cli({"export", "--format", "passwd"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "alice:x:1000:1000:Liddell, \"Alice\":/srv/alice:/bin/zsh\n"  // her private group: gid = uid
            "bob:x:1001:777:Bøb Ünïcødé 山田:/home/bob:/bin/bash\n"       // --primary-group bob (gid 777)
            "carol:x:2000:2000::/home/carol:/bin/bash\n");
  for (const auto& line : split_lines(r.out)) {
    const auto fields = split_on(line, ':');  // as getent passwd output is read
    ASSERT_EQ(fields.size(), 7u) << line;
    EXPECT_EQ(fields[1], "x") << "never a hash";
    EXPECT_EQ(std::to_string(std::stoll(fields[2])), fields[2]) << line;
    EXPECT_EQ(std::to_string(std::stoll(fields[3])), fields[3]) << line;
    EXPECT_EQ(fields[5].front(), '/') << line;
  }
}

TEST_P(ExportTest, GroupLinesAreFourFieldsSortedByName) {
  add_fixture();
  const RunResult r = cli({"export", "--format", "group"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out,
            "bob:x:777:\n"
            "empty:x:600:\n"
            "staff:x:500:alice,bob\n");
  for (const auto& line : split_lines(r.out)) EXPECT_EQ(split_on(line, ':').size(), 4u) << line;
}

TEST_P(ExportTest, HomeAndShellAttributesAreJustAttributes) {
  add_user("erin", {"--uid", "3000", "--attr", "home=/elsewhere", "--attr", "shell=/bin/zsh"});
  const RunResult r = cli({"export", "--format", "passwd"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "erin:x:3000:3000::/home/erin:/bin/bash\n");
}

// Input refuses ':' in home and shell; export checks again for rows written behind usersctl's
// back (with SQL, hence SQLite only).
TEST_P(ExportTest, PasswdRefusesAColonInShellOrHomeNamingTheUser) {
  EXPECT_TRUE(Failed(cli({"add", "aaron", "--shell", "/bin:sh"}), 5, "shell"));
  EXPECT_TRUE(Failed(cli({"add", "aaron", "--home", "/home/a:b"}), 5, "home"));
  if (backend() != "sqlite") return;
  const auto set_field_behind_our_back = [&](const std::string& user, const std::string& field,
                                             const std::string& value) {
    query_rows(db_path(), "UPDATE users SET " + field + " = '" + value + "' WHERE username = '" + user + "'");
  };
  add_user("aaron", {"--uid", "5000"});
  set_field_behind_our_back("aaron", "shell", "/bin:sh");
  add_fixture();
  const RunResult first = cli({"export", "--format", "passwd"});
  EXPECT_TRUE(Failed(first, 5, "aaron")) << first;
  EXPECT_NE(first.err.find("shell"), std::string::npos) << first.err;

  // Later in the order: the valid lines before it are out, the bad one is not, exit 5.
  ASSERT_TRUE(QuietlySucceeded(cli({"-q", "update", "aaron", "--shell", "/bin/sh"})));
  add_user("zed");
  set_field_behind_our_back("zed", "home", "/home/z:ed");
  const RunResult later = cli({"export", "--format", "passwd"});
  EXPECT_EQ(later.exit_code, 5) << later;
  EXPECT_NE(later.err.find("'zed'"), std::string::npos) << later.err;
  EXPECT_NE(later.err.find("home"), std::string::npos) << later.err;
  const auto lines = split_lines(later.out);
  ASSERT_EQ(lines.size(), 4u) << later.out;
  EXPECT_EQ(lines.back().rfind("carol:", 0), 0u) << later.out;
  for (const auto& line : lines) EXPECT_EQ(split_on(line, ':').size(), 7u) << line;
}

TEST_P(ExportTest, EmptyDatabasePrintsNothingInEveryFormat) {
  // A database with no users or groups (a read never creates one).
  ASSERT_TRUE(QuietlySucceeded(cli({"-q", "settings", "set", "home_base", "/home"})));
  for (const std::string format : {"jsonl", "csv", "passwd", "group"}) {
    const RunResult r = cli({"export", "--format", format});
    EXPECT_TRUE(Succeeded(r)) << format;
    EXPECT_EQ(r.out, "") << format;
    EXPECT_EQ(r.err, "") << format;
  }
}

TEST_P(ExportTest, UnknownFormatIsAUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"export", "--format", "xml"}), 2, "xml"));
  EXPECT_TRUE(Failed(cli({"export", "--format", "ldap"}), 2));
  EXPECT_TRUE(Failed(cli({"export", "--format"}), 2));
}

TEST_P(ExportTest, OutputAndFieldsDoNotApply) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"export", "-o", "csv"}), 2, "--format"));
  EXPECT_TRUE(Failed(cli({"-o", "json", "export"}), 2, "--format"));
  EXPECT_TRUE(Failed(cli({"export", "--fields", "username"}), 2, "--format"));
}

TEST_P(ExportTest, ExportIsAReadAndEmitsNoEvents) {
  add_fixture();
  const RunResult r = cli({"--events", "export", "--format", "group"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(split_lines(r.out).size(), 3u) << "group lines only, no event lines: " << r.out;
}

}  // namespace
}  // namespace usersctl::e2e
