// Hostile input, end to end (issue 9): SQL injection in every field, NUL bytes, invalid UTF-8,
// control characters, passwd separators, oversized values and counts, leading '-', spreadsheet
// formulas, unusable --db paths. Each refused input gets its documented exit code, one error line
// that is safe to show on a terminal, nothing on stdout, and changes nothing at all.

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "util/text.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

struct HostileCase {
  std::string label;
  std::vector<std::string> args;  // after --db URL
  int exit_code;
  std::string stdin_data = {};
};

// An error line may quote the input, but never so that a terminal acts on it: no C0 (other than
// the line end), DEL or C1 characters, and valid UTF-8.
::testing::AssertionResult TerminalSafe(const std::string& err) {
  const std::string body = err.empty() || err.back() != '\n' ? err : err.substr(0, err.size() - 1);
  if (!util::is_valid_utf8(body))
    return ::testing::AssertionFailure() << "stderr is not valid UTF-8: " << body;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto cp = util::decode_utf8(body, pos);
    if (cp && util::is_control(*cp)) {
      return ::testing::AssertionFailure()
             << "stderr holds control character U+" << std::hex << static_cast<unsigned>(*cp) << ": " << body;
    }
  }
  return ::testing::AssertionSuccess();
}

std::string repeated(std::size_t count, char c) { return std::string(count, c); }

std::vector<std::string> attr_args(std::size_t count, const std::string& prefix = "k") {
  std::vector<std::string> args;
  for (std::size_t i = 0; i < count; ++i) {
    args.push_back("--attr");
    args.push_back(prefix + std::to_string(i) + "=v");
  }
  return args;
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

class HostileInputTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    add_group("devs");
    add_user("alice",
             {"--email", "alice@example.com", "--name", "Alice", "--attr", "team=ops", "--group", "devs"});
    ASSERT_TRUE(MutationSucceeded(cli({"passwd", "alice", "--password-stdin"}, "secret\n")));
  }

  // Everything a change could touch: users, groups, memberships, events, hooks.
  std::string snapshot() const {
    std::string all;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"export"},
                                                 {"export", "--format", "group"},
                                                 {"events", "list"},
                                                 {"hook", "list", "-o", "jsonl"}}) {
      const RunResult r = cli(args);
      EXPECT_TRUE(Succeeded(r)) << args[0];
      all += r.out + "\n--\n";
    }
    return all;
  }

  void expect_refused_without_change(const std::vector<HostileCase>& cases) {
    const std::string before = snapshot();
    for (const auto& c : cases) {
      SCOPED_TRACE(c.label);
      const RunResult r = cli(c.args, c.stdin_data);
      EXPECT_TRUE(Failed(r, c.exit_code));
      EXPECT_TRUE(TerminalSafe(r.err));
    }
    EXPECT_EQ(snapshot(), before) << "a refused input changed something";
  }
};
USERSCTL_E2E_INSTANTIATE(HostileInputTest);

// Issue 20: invalid UTF-8 in any value for the database (a filter, a name, search text, a crafted
// cursor) is refused before it reaches the server: exit 5 (a cursor: 2, as any malformed one), one
// line, on both backends (PostgreSQL used to exit 1 with SQLSTATE 22021 where SQLite answered).
TEST_P(HostileInputTest, InvalidUtf8InAnArgumentIsRefusedOnEveryBackend) {
  const std::string bad = "al\xff\xfeice";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"list", "--where", "email=" + bad},
                                               {"list", "--where", "attrs.team=" + bad},
                                               {"list", "--group", bad},
                                               {"search", bad},
                                               {"show", bad},
                                               {"delete", bad, "--yes"},
                                               {"update", "alice", "--name", bad},
                                               {"group", "show", bad},
                                               {"group", "add", bad, "alice"},
                                               {"ssh-key", "list", bad},
                                               {"hook", "show", bad}}) {
    EXPECT_TRUE(Failed(cli(args), 5, "not valid UTF-8")) << args[0] << " " << args[1];
  }
  for (const char* cursor : {"username.a.ff.ff", "username.a.616c6963c3.616c6963c3"}) {
    EXPECT_TRUE(Failed(cli({"list", "--after", cursor}), 2, "malformed cursor")) << cursor;
  }
  EXPECT_TRUE(Succeeded(cli({"list", "--after", "username.a.616c696365.616c696365"})));  // valid stays valid
}

// ---- SQL injection ----

TEST_P(HostileInputTest, SqlInjectionInNamesAndKeysIsRefused) {
  const std::string drop = "'; DROP TABLE users; --";
  expect_refused_without_change({
      {"username", {"add", "x" + drop}, 5},
      {"username tautology", {"add", "x' OR '1'='1"}, 5},
      {"email", {"add", "bob", "--email", "bob@example.com" + drop}, 5},
      {"attr key", {"add", "bob", "--attr", "k" + drop + "=v"}, 5},
      {"group of add", {"add", "bob", "--group", "devs" + drop}, 5},
      {"rename", {"update", "alice", "--rename", "a" + drop}, 5},
      {"unset-attr", {"update", "alice", "--unset-attr", "team" + drop}, 5},
      {"show", {"show", "alice' OR '1'='1"}, 5},
      {"delete", {"delete", "alice' OR '1'='1"}, 5},
      // Lookups by a name that cannot exist say so: not found.
      {"passwd", {"passwd", "alice' --", "--password-stdin"}, 3, "x\n"},
      {"where field", {"list", "--where", "username' OR 1=1 --=x"}, 2},
      {"where attr key", {"list", "--where", "attrs.k' OR 1=1 --=x"}, 2},  // every bad filter: usage
      {"sort", {"list", "--sort", "username; DROP TABLE users"}, 2},
      {"list group", {"list", "--group", "devs" + drop}, 3},
      {"group create", {"group", "create", "g" + drop}, 5},
      {"group description", {"group", "create", "ops", "--description", "x\x1b" + drop}, 5},
      {"group member", {"group", "add", "devs", "alice" + drop}, 5},
      {"group rename", {"group", "rename", "devs", "d" + drop}, 5},
      {"events type", {"events", "list", "--type", "user.created' OR 1=1 --"}, 2},
      {"hook id", {"hook", "remove", "1 OR 1=1"}, 2},
  });
}

// Injection text that is valid data is stored and returned verbatim, and touches nothing else.
TEST_P(HostileInputTest, SqlInjectionTextThatIsValidDataIsStoredVerbatim) {
  const std::size_t events_before = parse_jsonl(cli({"events", "list"}).out).size();
  const std::string name = "Robert'); DROP TABLE users; --";
  const std::string value = "' OR 1=1; DELETE FROM events; --";
  ASSERT_TRUE(MutationSucceeded(
      cli({"add", "bobby", "--name", name, "--email", "o'brien@example.com", "--attr", "note=" + value})));
  json bobby = show_user("bobby");
  EXPECT_EQ(bobby["name"], name);
  EXPECT_EQ(bobby["email"], "o'brien@example.com");
  EXPECT_EQ(bobby["attrs"]["note"], value);
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "bobby"}));
  // Filters and search treat it as text to match, not as SQL.
  EXPECT_EQ(list_usernames({"--where", "name=' OR '1'='1"}), std::vector<std::string>{});
  EXPECT_EQ(list_usernames({"--where", "attrs.note=" + value}), std::vector<std::string>{"bobby"});
  const RunResult search = cli({"search", "'); DROP TABLE users; --"});
  EXPECT_TRUE(Succeeded(search));
  EXPECT_EQ(split_lines(search.out).size(), 1u) << search;
  const RunResult events = cli({"events", "list"});
  ASSERT_TRUE(Succeeded(events));
  EXPECT_EQ(parse_jsonl(events.out).size(), events_before + 1) << "one event: bobby's";
}

// ---- Bytes that are not text ----

TEST_P(HostileInputTest, NulBytesAreRefused) {
  // argv cannot carry a NUL; stdin (passwords) and files (secrets) can.
  const fs::path secret = temp_dir() / "secret-with-nul";
  std::ofstream(secret, std::ios::binary) << std::string("whsec_MfKQ9r8GKYqrTwjU\0PD8ILPZIo2LaLaSw", 38);
  expect_refused_without_change({
      {"new password", {"add", "bob", "--password-stdin"}, 5, std::string("pa\0ss\n", 6)},
      {"changed password", {"passwd", "alice", "--password-stdin"}, 5, std::string("new\0pw\n", 7)},
      {"webhook secret",
       {"hook", "add", "--url", "http://127.0.0.1:9/x", "--secret-file", secret.string()},
       5},
  });
  // A NUL must not cut the password short: "secret\0junk" is not "secret".
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, std::string("secret\0junk\n", 12)).exit_code,
            1);
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "secret\n").exit_code, 0);
}

TEST_P(HostileInputTest, InvalidUtf8IsRefused) {
  expect_refused_without_change({
      {"name: stray byte", {"add", "bob", "--name", "Bob \xff"}, 5},
      {"name: overlong '/'", {"add", "bob", "--name", "\xc0\xaf"}, 5},
      {"name: surrogate", {"add", "bob", "--name", "\xed\xa0\x80"}, 5},
      {"name: truncated sequence", {"update", "alice", "--name", "Al\xe2\x82"}, 5},
      {"attr value", {"add", "bob", "--attr", "k=\xfe\xff"}, 5},
      {"email", {"add", "bob", "--email", "b\xff@example.com"}, 5},
      {"username",
       {"add",
        "b\xc3\xb6"
        "b"},
       5},
      {"description", {"group", "create", "ops", "--description", "\x80"}, 5},
      {"show", {"show", "\xff"}, 5},
  });
}

TEST_P(HostileInputTest, ControlCharactersAreRefused) {
  expect_refused_without_change({
      {"SOH", {"add", "bob", "--name", "a\x01z"}, 5},
      {"ESC colour", {"add", "bob", "--name", "\x1b[31mred"}, 5},
      {"tab", {"add", "bob", "--name", "tab\there"}, 5},
      {"DEL", {"add", "bob", "--name", "a\x7f"}, 5},
      {"C1 NEL", {"add", "bob", "--name", "a\xc2\x85z"}, 5},
      {"C1 CSI",
       {"add", "bob", "--attr",
        "k=\xc2\x9b"
        "31m"},
       5},
      {"OSC title in attr", {"update", "alice", "--attr", "k=\x1b]0;owned\x07"}, 5},
      {"CR in description", {"group", "create", "ops", "--description", "a\rb"}, 5},
      {"newline in email", {"add", "bob", "--email", "bob@example.com\nx"}, 5},
      // Quoted back in the error: the terminal must not act on it.
      {"ESC in username", {"show", "x\x1b]0;owned\x07"}, 5},
      {"ESC in where value", {"list", "--where", "uid=1\x1b[31m"}, 2},  // a bad filter
      {"newline in --attr", {"add", "bob", "--attr", "no-equals\nsecond line"}, 5},
  });
}

// ---- The passwd format ----

TEST_P(HostileInputTest, PasswdSeparatorsNeverReachExport) {
  expect_refused_without_change({
      {"':' in name", {"add", "bob", "--name", "Bob:0:0"}, 5},
      {"newline in name", {"add", "bob", "--name", "Bob\nroot::0:0::/root:/bin/sh"}, 5},
      {"':' in shell", {"add", "bob", "--shell", "/bin/sh:0"}, 5},
      {"':' in home", {"update", "alice", "--home", "/home/a:0:0"}, 5},
      {"newline in shell", {"add", "bob", "--shell", "/bin/sh\nroot::0:0::/root:/bin/sh"}, 5},
  });
  // What is accepted exports as well-formed lines: seven fields each.
  ASSERT_TRUE(MutationSucceeded(cli({"add", "bob", "--attr", "note=a:b:c", "--shell", "/bin/zsh"})));
  const RunResult passwd = cli({"export", "--format", "passwd"});
  ASSERT_TRUE(Succeeded(passwd));
  const auto lines = split_lines(passwd.out);
  ASSERT_EQ(lines.size(), 2u) << passwd;
  for (const auto& line : lines) EXPECT_EQ(std::count(line.begin(), line.end(), ':'), 6) << line;
}

// ---- Sizes and counts: the documented limits, both sides ----

TEST_P(HostileInputTest, OversizedValuesAndCountsAreRefused) {
  const fs::path big_secret = temp_dir() / "big-secret";
  std::ofstream(big_secret) << "whsec_" << repeated(1 << 20, 'A');
  expect_refused_without_change({
      {"attr value 64 KiB + 1", {"add", "bob", "--attr", "k=" + repeated(64 * 1024 + 1, 'v')}, 5},
      {"name 257 characters", {"add", "bob", "--name", repeated(257, 'n')}, 5},
      {"username 33 characters", {"add", repeated(33, 'u')}, 5},
      {"attr key 65 characters", {"add", "bob", "--attr", repeated(65, 'k') + "=v"}, 5},
      {"1,001 attributes", with({"add", "bob"}, attr_args(1001)), 5},
      {"10,000 attributes", with({"add", "bob"}, attr_args(10000)), 5},
      {"update past 1,000", with({"update", "alice"}, attr_args(1000, "more")), 5},
      {"password 512 bytes", {"add", "bob", "--password-stdin"}, 5, repeated(512, 'p') + "\n"},
      {"password 1 MiB", {"passwd", "alice", "--password-stdin"}, 5, repeated(1 << 20, 'p') + "\n"},
      {"password 1 MiB, no newline", {"passwd", "alice", "--password-stdin"}, 5, repeated(1 << 20, 'p')},
      {"secret file 1 MiB",
       {"hook", "add", "--url", "http://127.0.0.1:9/x", "--secret-file", big_secret.string()},
       5},
  });
}

TEST_P(HostileInputTest, ValuesAtTheLimitsAreAccepted) {
  const std::string value(64 * 1024, 'v');
  ASSERT_TRUE(MutationSucceeded(
      cli(with({"add", "bob", "--attr", "big=" + value, "--name", repeated(256, 'n')}, attr_args(999)))));
  json bob = show_user("bob");
  EXPECT_EQ(bob["attrs"].size(), 1000u);
  EXPECT_EQ(bob["attrs"]["big"], value);
  ASSERT_TRUE(MutationSucceeded(cli({"add", repeated(32, 'u')})));
  ASSERT_TRUE(MutationSucceeded(cli({"passwd", "alice", "--password-stdin"}, repeated(511, 'p') + "\n")));
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, repeated(511, 'p') + "\n").exit_code, 0);
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, repeated(510, 'p') + "\n").exit_code, 1);
}

// ---- Names that look like options ----

TEST_P(HostileInputTest, LeadingDashNamesAreRefused) {
  expect_refused_without_change({
      {"add -- -rf", {"add", "--", "-rf"}, 5},
      {"add -- --help", {"add", "--", "--help"}, 5},
      {"add -rf (an unknown option)", {"add", "-rf"}, 2},
      {"rename=-x", {"update", "alice", "--rename=-x"}, 5},
      {"delete -- -alice", {"delete", "--", "-alice"}, 5},
      {"group -- -wheel", {"group", "create", "--", "-wheel"}, 5},
      {"--group=-devs", {"add", "bob", "--group=-devs"}, 5},
  });
}

// ---- Spreadsheet formulas ----

TEST_P(HostileInputTest, FormulaCellsAreNeutralisedInCsvAndTsv) {
  ASSERT_TRUE(
      MutationSucceeded(cli({"add", "bob", "--name", "=HYPERLINK(\"x\")", "--email", "=cmd@example.com"})));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "carol", "--name", "+1+1"})));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "dave", "--name", "-2+3"})));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "erin", "--name", "@SUM(A1)"})));
  for (const char separator : {',', '\t'}) {
    const RunResult r =
        cli({"list", "-o", separator == ',' ? "csv" : "tsv", "--fields", "username,name,email"});
    ASSERT_TRUE(Succeeded(r));
    for (const auto& row : parse_delimited(r.out, separator)) {
      for (const auto& cell : row) {
        EXPECT_TRUE(cell.empty() || std::string("=+-@").find(cell[0]) == std::string::npos)
            << "formula cell '" << cell << "'";
      }
    }
  }
  // The data itself stays as given (JSON is not a spreadsheet).
  EXPECT_EQ(show_user("bob")["name"], "=HYPERLINK(\"x\")");
}

// ---- Import files ----

TEST_P(HostileInputTest, HostileImportRecordsChangeNothing) {
  json many_attrs = json::object();
  for (int i = 0; i < 10000; ++i) many_attrs["k" + std::to_string(i)] = "v";
  const std::string ok = R"({"username":"fine"})"
                         "\n";  // a good record first: all or nothing
  expect_refused_without_change({
      {"nested JSON",
       {"import",
        temp_file("nested.jsonl", ok + R"({"username":"a","attrs":)" + std::string(100000, '[') + "\n")},
       5},
      {"nested objects",
       {"import", temp_file(
                      "nested2.jsonl", ok + R"({"username":"a","attrs":{"k":)" +
                                           [] {
                                             std::string deep;
                                             for (int i = 0; i < 5000; ++i) deep += R"({"x":)";
                                             return deep + "1" + std::string(5000, '}');
                                           }() +
                                           "}}\n")},
       5},
      {"1 MiB value",
       {"import",
        temp_file(
            "big.jsonl",
            ok + json({{"username", "bob"}, {"attrs", {{"k", repeated(1 << 20, 'v')}}}}).dump() + "\n")},
       5},
      {"10,000 attributes",
       {"import",
        temp_file("many.jsonl", ok + json({{"username", "bob"}, {"attrs", many_attrs}}).dump() + "\n")},
       5},
      {"number overflow",
       {"import", temp_file("overflow.jsonl", ok + R"({"username":"bob","uid":1e99999})"
                                                   "\n")},
       5},
      {"SQL in username",
       {"import", temp_file("sql.jsonl", ok + R"({"username":"x'); DROP TABLE users;--"})"
                                              "\n")},
       5},
      {"escaped NUL",
       {"import", temp_file("nul.jsonl", ok + R"({"username":"bob","name":"a\u0000b"})"
                                              "\n")},
       5},
      {"raw NUL in CSV",
       {"import", temp_file("nul.csv", "username,name\nfine,x\nbob,a" + std::string(1, '\0') + "b\n"),
        "--format", "csv"},
       5},
      {"invalid UTF-8",
       {"import", temp_file("utf8.csv", "username,name\nfine,x\nbob,\xff\xfe\n"), "--format", "csv"},
       5},
      {"escape sequence",
       {"import", temp_file("esc.jsonl", ok + R"({"username":"bob","name":"\u001b[31mred"})"
                                              "\n")},
       5},
      {"C1 control",
       {"import", temp_file("c1.jsonl", ok + R"({"username":"bob","name":"a\u009bz"})"
                                             "\n")},
       5},
      {"':' in shell",
       {"import", temp_file("colon.jsonl", ok + R"({"username":"bob","shell":"/bin/sh:0"})"
                                                "\n")},
       5},
      {"':' in name",
       {"import", temp_file("colon.csv", "username,name\nfine,x\nbob,a:b\n"), "--format", "csv"},
       5},
      {"leading '-'",
       {"import", temp_file("dash.jsonl", ok + R"({"username":"-rf"})"
                                               "\n")},
       5},
      {"passwd line with an extra field",
       {"import", temp_file("p.passwd", "fine:x:2000:2000::/home/fine:/bin/sh\nbob:x:2001:2001:a:b:c:d\n"),
        "--format", "passwd"},
       5},
  });
}

// Formula cells are data: imported as given, neutralised again whenever CSV or TSV is written.
TEST_P(HostileInputTest, CsvFormulaCellsInImportAreStoredAsDataAndNeutralisedOnOutput) {
  const fs::path csv = temp_dir() / "formulas.csv";
  std::ofstream(csv) << "username,name,attrs.x\nbob,\"=HYPERLINK(\"\"x\"\")\",+1\ncarol,@SUM(A1),-2\n";
  ASSERT_EQ(cli({"import", csv.string()}).exit_code, 0);
  EXPECT_EQ(show_user("bob")["name"], "=HYPERLINK(\"x\")");
  EXPECT_EQ(show_user("carol")["attrs"]["x"], "-2");
  const RunResult exported = cli({"export", "--format", "csv"});
  ASSERT_TRUE(Succeeded(exported));
  for (const auto& row : parse_delimited(exported.out, ',')) {
    for (const auto& cell : row) {
      EXPECT_TRUE(cell.empty() || std::string("=+-@").find(cell[0]) == std::string::npos)
          << "formula cell '" << cell << "'";
    }
  }
}

// ---- Unusable --db ----

TEST_P(HostileInputTest, UnusableDatabasePathsAreUnavailable) {
  const fs::path dir = temp_dir() / "a-directory";
  fs::create_directories(dir);
  const fs::path file = temp_dir() / "a-file";
  std::ofstream(file) << "x";
  const std::string before = snapshot();
  for (const std::string& db :
       std::vector<std::string>{dir.string(), "/proc/no-such-dir/users.db", (file / "users.db").string(),
                                std::string("/proc/version"), "sqlite:" + dir.string()}) {
    SCOPED_TRACE(db);
    for (const std::vector<std::string>& args : {std::vector<std::string>{"add", "bob"}, {"list"}}) {
      const RunResult r = run(with({"--db", db}, args));
      EXPECT_TRUE(Failed(r, 6));
      EXPECT_TRUE(TerminalSafe(r.err));
    }
  }
  EXPECT_FALSE(fs::exists("/proc/no-such-dir"));
  // The default location under a file instead of a folder.
  const RunResult r = run({"list"}, {}, {{"XDG_DATA_HOME", file.string()}});
  EXPECT_TRUE(Failed(r, 6));
  // An empty --db (an unset variable in a script) is a usage error, not the default database.
  EXPECT_TRUE(Failed(run({"--db", "", "add", "bob"}), 2, "--db"));
  EXPECT_FALSE(fs::exists(home_dir() / ".local/share/usersctl/users.db"));
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace usersctl::e2e
