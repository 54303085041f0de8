// import FILE|- --format jsonl|csv|passwd [--shadow] [--group-file] [--upsert] [--dry-run] (issue 7).

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

class ImportTest : public E2eTest {
 protected:
  std::vector<json> events() const { return parse_jsonl(cli({"events", "list"}).out); }
  // The records without what an import sets afresh (times, actor, version).
  static std::vector<json> portable(std::vector<json> records) {
    for (auto& record : records) {
      for (const char* key : {"created_at", "updated_at", "created_by", "updated_by", "version"})
        record.erase(key);
    }
    return records;
  }
};
USERSCTL_E2E_INSTANTIATE(ImportTest);

TEST_P(ImportTest, JsonlCreatesEveryRecordWithOneEventEach) {
  add_group("staff");
  const std::string file = temp_file(
      "users.jsonl",
      R"({"username":"alice","name":"Alice A","email":"alice@example.org","uid":1500,"groups":["staff"],"attrs":{"room":"12"}})"
      "\n\n"
      R"({"username":"bob","disabled":true})"
      "\n");
  const RunResult r = cli({"import", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("2 users created"), std::string::npos) << r;
  json alice = show_user("alice");
  EXPECT_EQ(alice["uid"], 1500);
  EXPECT_EQ(alice["name"], "Alice A");
  EXPECT_EQ(alice["email"], "alice@example.org");
  EXPECT_EQ(alice["groups"], json::array({"staff"}));
  EXPECT_EQ(alice["attrs"]["room"], "12");
  json bob = show_user("bob");
  EXPECT_EQ(bob["disabled"], true);
  EXPECT_EQ(bob["uid"], 1501) << "the next uid after the highest, as useradd";
  auto all = events();
  ASSERT_EQ(all.size(), 3u);  // group.created + 2 × user.created
  EXPECT_EQ(all[1]["type"], "user.created");
  EXPECT_EQ(all[1]["data"]["user"]["username"], "alice");
  EXPECT_EQ(all[2]["data"]["user"]["username"], "bob");
}

TEST_P(ImportTest, ReadsStdinAndPrintsItsEventsWithEvents) {
  const RunResult r = cli({"--events", "import", "-"}, "{\"username\":\"alice\"}\n{\"username\":\"bob\"}\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  auto printed = parse_jsonl(r.out);
  ASSERT_EQ(printed.size(), 2u);
  EXPECT_EQ(printed[0]["type"], "user.created");
  EXPECT_EQ(printed[1]["data"]["user"]["username"], "bob");
  EXPECT_EQ(printed[1]["sequence"], "2");
}

TEST_P(ImportTest, ABadLineInTheMiddleNamesItsLineAndWritesNothing) {
  add_user("existing");
  const std::string file = temp_file(
      "users.jsonl", "{\"username\":\"alice\"}\n{\"username\":\"Bad Name\"}\n{\"username\":\"carol\"}\n");
  const RunResult r = cli({"import", file});
  EXPECT_TRUE(Failed(r, 5, "line 2")) << r;
  EXPECT_NE(r.err.find("users.jsonl"), std::string::npos) << r;
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"existing"});
  EXPECT_EQ(events().size(), 1u);
}

TEST_P(ImportTest, ReportsEveryProblemWithItsLineNotOnlyTheFirst) {
  add_user("taken");
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"ok1\"}\n"
                                     "{\"username\":\"x\",\"email\":\"not-an-email\"}\n"
                                     "{not json\n"
                                     "{\"username\":\"dup\"}\n"
                                     "{\"username\":\"dup\"}\n"
                                     "{\"username\":\"g\",\"groups\":[\"nosuch\"]}\n"
                                     "{\"username\":\"u\",\"emial\":\"typo@example.org\"}\n"
                                     "{\"username\":\"taken\"}\n");
  const RunResult r = cli({"import", file});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_EQ(r.out, "");
  for (const char* line : {"line 2:", "line 3:", "line 5:", "line 6:", "line 7:", "line 8:"}) {
    EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r;
  }
  EXPECT_NE(r.err.find("appears more than once"), std::string::npos) << r;
  EXPECT_NE(r.err.find("group 'nosuch' does not exist"), std::string::npos) << r;
  EXPECT_NE(r.err.find("unknown field \"emial\""), std::string::npos) << r;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r;
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"taken"});
}

// Issue 20: a malformed line is named by its line and column; its text (here a password hash,
// in an unterminated string, before a missing brace, beside a stray comma) is never repeated.
TEST_P(ImportTest, AMalformedLineNamesItsPositionButNeverQuotesTheHash) {
  const std::string hash = "$y$j9T$Leak5alt0nlyHere$wq0Hn4ZwPZ1JhTQm8dEdH3qYqKv6N8oZGqS9d0fM1x7";
  const std::string file = temp_file("users.jsonl",
                                     "{\"username\":\"ok\"}\n"
                                     "{\"username\":\"a\",\"password_hash\":\"" +
                                         hash +
                                         "\n"
                                         "{\"username\":\"b\",\"password_hash\":\"" +
                                         hash +
                                         "\"\n"
                                         "{\"username\":\"c\",\"password_hash\":\"" +
                                         hash + "\",}\n");
  for (const auto& args : {std::vector<std::string>{"import", file}, {"apply", file}}) {
    const RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, 5) << r;
    for (const char* line : {"line 2: not valid JSON at column", "line 3: not valid JSON at column",
                             "line 4: not valid JSON at column"}) {
      EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r;
    }
    EXPECT_EQ(r.err.find("Leak5alt0nlyHere"), std::string::npos) << r;
  }
  EXPECT_EQ(list_usernames(), std::vector<std::string>{});
}

// Issue 20: a line is at most 16 MiB. `head -c 100M /dev/zero | usersctl import -` stops at the limit
// (exit 5, the line named) instead of holding the whole line; so do apply and CSV.
TEST_P(ImportTest, ALineLongerThan16MiBIsRefusedWithItsNumberBeforeItIsRead) {
  RunOptions options;
  options.replace_env = env();
  options.timeout = std::chrono::seconds(60);
  for (const char* command : {"import -", "apply -", "import --format csv -"}) {
    const auto started = std::chrono::steady_clock::now();
    const RunResult r = run_process(
        "/bin/sh",
        {"-c",
         "(head -c 100M /dev/zero | tr '\\0' a) 2>/dev/null | \"$0\" --db \"$1\" " + std::string(command),
         usersctl_binary(), db_url()},
        options);
    EXPECT_TRUE(Failed(r, 5, "stdin: line 1 is longer than 16 MiB")) << command;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30)) << command;
  }
  const std::string file =
      temp_file("users.jsonl", "{\"username\":\"ok\"}\n" + std::string(17 << 20, ' ') + "\n");
  EXPECT_TRUE(Failed(cli({"import", file}), 5, "users.jsonl: line 2 is longer than 16 MiB"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{});
}

TEST_P(ImportTest, AnExistingUserIsAConflictUnlessUpsert) {
  add_user("alice", {"--name", "Old", "--email", "alice@example.org"});
  const std::string file = temp_file(
      "users.jsonl",
      "{\"username\":\"alice\",\"name\":\"New\"}\n{\"username\":\"bob\"}\n{\"username\":\"carol\"}\n");
  EXPECT_TRUE(Failed(cli({"import", file}), 4, "already exists"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});

  const RunResult r = cli({"import", "--upsert", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  json alice = show_user("alice");
  EXPECT_EQ(alice["name"], "New");
  EXPECT_EQ(alice["email"], "alice@example.org") << "a field the file leaves out stays";
  EXPECT_EQ(alice["version"], 2);
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "bob", "carol"}));
  auto all = events();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1]["type"], "user.updated");
  EXPECT_EQ(all[1]["data"]["changes"], json::array({"name"}));

  // The same upsert again changes nothing and emits nothing.
  const RunResult again = cli({"import", "--upsert", file});
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again;
  EXPECT_EQ(events().size(), 4u);
}

TEST_P(ImportTest, InvalidUtf8AndNulBytesAreBadLines) {
  const std::string jsonl =
      temp_file("bad.jsonl", "{\"username\":\"ok\"}\n{\"username\":\"a\",\"name\":\"\xC3\x28\"}\n");
  EXPECT_TRUE(Failed(cli({"import", jsonl}), 5, "line 2"));
  const std::string csv =
      temp_file("bad.csv", std::string("username,name\nok,fine\nb,nul") + '\0' + "byte\n");
  EXPECT_TRUE(Failed(cli({"import", csv}), 5, "line 3"));
  const std::string csv_utf8 = temp_file("bad2.csv", "username,name\nb,\xFF\xFE\n");
  EXPECT_TRUE(Failed(cli({"import", csv_utf8}), 5, "UTF-8"));
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(ImportTest, DeeplyNestedJsonIsABadLine) {
  const std::string file =
      temp_file("deep.jsonl", "{\"username\":\"a\",\"attrs\":" + std::string(100000, '[') + "\n");
  EXPECT_TRUE(Failed(cli({"import", file}), 5, "nested too deeply"));
}

TEST_P(ImportTest, CsvFollowsRfc4180) {
  add_group("staff");
  add_group("ops");
  const std::string file =
      temp_file("users.csv",
                "username,name,email,uid,disabled,groups,attrs.note,attrs.empty\r\n"
                "alice,\"Liddell, \"\"Alice\"\"\",alice@example.org,1200,false,\"staff,ops\",\"a, b\",\r\n"
                "bob,'=1+2,,,true,,'@cmd,\r\n");
  const RunResult r = cli({"import", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  json alice = show_user("alice");
  EXPECT_EQ(alice["name"], "Liddell, \"Alice\"");
  EXPECT_EQ(alice["uid"], 1200);
  EXPECT_EQ(alice["groups"], json::array({"ops", "staff"}));
  EXPECT_EQ(alice["attrs"], json({{"note", "a, b"}})) << "an empty cell is no attribute";
  json bob = show_user("bob");
  EXPECT_EQ(bob["name"], "=1+2") << "export's formula quote comes off again";
  EXPECT_EQ(bob["attrs"]["note"], "@cmd");
  EXPECT_EQ(bob["disabled"], true);
  EXPECT_EQ(bob["email"], nullptr);
}

TEST_P(ImportTest, CsvQuotedLineBreaksSpanLinesButNoFieldMayHoldOne) {
  const std::string file = temp_file("users.csv",
                                     "username,name\n"
                                     "alice,\"two\nlines\"\n"
                                     "Bad,x\n");
  const RunResult r = cli({"import", file});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_NE(r.err.find("line 2: name 'two"), std::string::npos) << r;
  EXPECT_NE(r.err.find("line 4: user name 'Bad'"), std::string::npos) << "lines count physically\n" << r;
}

TEST_P(ImportTest, CsvWithAWrongColumnCountOrAnUnknownColumnIsRefused) {
  const std::string short_row =
      temp_file("short.csv", "username,name,email\nalice,Alice,a@example.org\nbob,Bob\n");
  EXPECT_TRUE(Failed(cli({"import", short_row}), 5, "line 3"));
  const std::string unknown = temp_file("unknown.csv", "username,nmae\nalice,Alice\n");
  EXPECT_TRUE(Failed(cli({"import", unknown}), 5, "unknown column 'nmae'"));
  const std::string quote = temp_file("quote.csv", "username,name\nalice,\"unterminated\n");
  EXPECT_TRUE(Failed(cli({"import", quote}), 5, "line 2"));
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(ImportTest, ExportThenImportReproducesTheRecords) {
  add_group("staff", {"--gid", "500"});
  add_user("alice", {"--name", "Liddell, \"Alice\"", "--email", "Alice@Example.org", "--group", "staff",
                     "--attr", "formula==SUM(A1)", "--attr", "quoted='=x"});
  add_user("bob", {"--name", "Bøb 山田", "--uid", "3000", "--disabled", "--attr", "home=/home/bob"});
  const std::vector<json> before = portable(list_users());
  for (const std::string format : {"jsonl", "csv"}) {
    const RunResult exported = cli({"export", "--format", format});
    ASSERT_EQ(exported.exit_code, 0) << exported;
    const std::string file = temp_file("export." + format, exported.out);
    // Purged, not binned: a user in the recycle bin keeps its uid reserved.
    ASSERT_TRUE(MutationSucceeded(cli({"delete", "--purge", "alice", "bob"}), 4));  // deleted, purged
    const RunResult imported = cli({"import", "--format", format, file});
    ASSERT_EQ(imported.exit_code, 0) << imported;
    EXPECT_EQ(portable(list_users()), before) << format;
  }
}

TEST_P(ImportTest, PasswdWithShadowAndGroupFileRoundTripsThroughExport) {
  const RunResult hashed =
      run_process("/usr/bin/python3", {"-c", "import crypt; print(crypt.crypt('s3cret', '$6$saltsalt$'))"});
  ASSERT_EQ(hashed.exit_code, 0) << hashed;
  const std::string hash = hashed.out.substr(0, hashed.out.find('\n'));
  const std::string passwd = temp_file("passwd",
                                       "root:x:0:0:root:/root:/bin/bash\n"
                                       "alice:x:1000:1000:Alice Liddell,,,:/home/alice:/bin/bash\n"
                                       "bob:x:1001:1001::/home/bob:/bin/sh\n");
  const std::string shadow = temp_file("shadow",
                                       "root:!:19000:0:99999:7:::\n"
                                       "alice:" +
                                           hash +
                                           ":19000:0:99999:7:::\n"
                                           "bob:!" +
                                           hash + ":19000:0:99999:7:::\n");
  const std::string group =
      temp_file("group", "root:x:0:\nalice:x:1000:\nbob:x:1001:\ndevs:x:2000:alice,bob\n");
  const RunResult r =
      cli({"import", "--format", "passwd", "--shadow", shadow, "--group-file", group, passwd});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("alice")["groups"], json::array({"devs"}));
  EXPECT_EQ(show_user("bob")["disabled"], true) << "a '!' in shadow locks the account";
  EXPECT_EQ(show_user("root")["uid"], 0);
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "s3cret\n").exit_code, 0);
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "wrong\n").exit_code, 1);
  EXPECT_EQ(cli({"export", "--format", "passwd"}).out,
            "alice:x:1000:1000:Alice Liddell,,,:/home/alice:/bin/bash\n"
            "bob:x:1001:1001::/home/bob:/bin/sh\n"
            "root:x:0:0:root:/root:/bin/bash\n");
  EXPECT_EQ(cli({"export", "--format", "group"}).out,
            "alice:x:1000:\nbob:x:1001:\ndevs:x:2000:alice,bob\nroot:x:0:\n");
}

// The validity window (issue 17) goes out with export and comes back with import, JSON Lines
// and CSV alike; apply/--upsert change it (null or an empty cell: no bound).
TEST_P(ImportTest, ValidityWindowRoundTripsThroughExportAndImport) {
  add_user("alice", {"--valid-from", "2026-01-01", "--expires-at", "2031-05-01"});
  add_user("bob");
  add_user("carl", {"--expires-at", "2030-01-01T12:30:00Z"});
  const std::vector<json> before = portable(list_users());
  ASSERT_EQ(before[0]["expires_at"], "2031-05-01T00:00:00.000Z");
  for (const std::string format : {"jsonl", "csv"}) {
    const RunResult exported = cli({"export", "--format", format});
    ASSERT_EQ(exported.exit_code, 0) << exported;
    const std::string file = temp_file("export." + format, exported.out);
    ASSERT_TRUE(MutationSucceeded(cli({"delete", "--purge", "alice", "bob", "carl", "--yes"}), 6));
    const RunResult imported = cli({"import", "--format", format, file});
    ASSERT_EQ(imported.exit_code, 0) << imported;
    EXPECT_EQ(portable(list_users()), before) << format;
    const auto created = parse_jsonl(cli({"events", "list", "--type", "user.created"}).out);
    EXPECT_EQ(created.back()["data"]["user"]["expires_at"], "2030-01-01T12:30:00.000Z") << format;
  }

  RunResult r = cli({"import", "--upsert", "-"}, "{\"username\":\"bob\",\"expires_at\":\"2029-02-03\"}\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("bob")["expires_at"], "2029-02-03T00:00:00.000Z");
  auto updated = parse_jsonl(cli({"events", "list", "--type", "user.updated"}).out);
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0]["data"]["changes"], json::array({"expires_at"}));
  r = cli({"apply", "-"}, "{\"username\":\"bob\",\"expires_at\":null}\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(show_user("bob")["expires_at"].is_null());
  r = cli({"import", "--format", "csv", "-"}, "username,valid_from,expires_at\ndan,,2032-07-01\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(show_user("dan")["expires_at"], "2032-07-01T00:00:00.000Z");
  EXPECT_TRUE(show_user("dan")["valid_from"].is_null());
  EXPECT_TRUE(
      Failed(cli({"import", "-"}, "{\"username\":\"eve\",\"expires_at\":\"soon\"}\n"), 5, "expires_at"));
  EXPECT_TRUE(Failed(cli({"show", "eve"}), 3));
}

// import --shadow: the expire field becomes expires_at, lastchg password_changed_at, and
// export --format shadow writes both back as they were.
TEST_P(ImportTest, ShadowExpireAndLastchgComeBackFromAShadowFile) {
  const RunResult hashed =
      run_process("/usr/bin/python3", {"-c", "import crypt; print(crypt.crypt('s3cret', '$6$saltsalt$'))"});
  ASSERT_EQ(hashed.exit_code, 0) << hashed;
  const std::string hash = hashed.out.substr(0, hashed.out.find('\n'));
  const std::string passwd = temp_file("passwd",
                                       "alice:x:1000:1000::/home/alice:/bin/bash\n"
                                       "bob:x:1001:1001::/home/bob:/bin/sh\n"
                                       "carl:x:1002:1002::/home/carl:/bin/sh\n");
  const std::string shadow =
      temp_file("shadow", "alice:" + hash + ":19000:0:99999:7::20000:\n" + "bob:!:19100:0:99999:7:::\n" +
                              "carl:" + hash + ":0:0:99999:7::30000:\n");
  const RunResult r = cli({"import", "--format", "passwd", "--shadow", shadow, passwd});
  ASSERT_EQ(r.exit_code, 0) << r;
  json alice = show_user("alice");
  EXPECT_EQ(alice["expires_at"], "2024-10-04T00:00:00.000Z");
  EXPECT_EQ(alice["password_changed_at"], "2022-01-08T00:00:00.000Z");
  json bob = show_user("bob");
  EXPECT_TRUE(bob["expires_at"].is_null());
  EXPECT_TRUE(bob["password_changed_at"].is_null()) << "no password, no time it was set";
  json carl = show_user("carl");
  EXPECT_EQ(carl["expires_at"], "2052-02-20T00:00:00.000Z");
  EXPECT_TRUE(carl["password_changed_at"].is_null()) << "lastchg 0 is no date";
  EXPECT_EQ(parse_jsonl(cli({"list", "--expired"}).out).size(), 1u);
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "s3cret\n").exit_code, 1) << "expired";
  EXPECT_EQ(cli({"check-password", "carl", "--password-stdin"}, "s3cret\n").exit_code, 0);
  const auto lines = split_lines(cli({"export", "--format", "shadow"}).out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "alice:" + hash + ":19000:::::20000:");
  EXPECT_TRUE(Failed(cli({"import", "--format", "passwd", "--shadow",
                          temp_file("bad", "dora:" + hash + ":19000:0:99999:7::later:\n"),
                          temp_file("p2", "dora:x:1003:1003::/home/dora:/bin/sh\n")}),
                     5, "expire"));
  // A day count a date cannot hold is refused, not wrapped into another date.
  EXPECT_TRUE(Failed(cli({"import", "--format", "passwd", "--shadow",
                          temp_file("late", "dora:" + hash + ":19000:0:99999:7::99999999999999:\n"),
                          temp_file("p3", "dora:x:1003:1003::/home/dora:/bin/sh\n")}),
                     5, "expire"));
  EXPECT_TRUE(Failed(cli({"show", "dora"}), 3));
}

// A load large enough to defer the search-index triggers (1,000 rows and more) gives users with an
// expiry their window after the insert: their attributes must still show (they were emptied).
TEST_P(ImportTest, UsersWithAnExpiryKeepTheirAttributesInALargeLoad) {
  std::string jsonl;
  for (int i = 0; i < 1200; ++i) {
    jsonl += "{\"username\":\"w" + std::to_string(i) + "\",\"attrs\":{\"k\":\"v" + std::to_string(i) + "\"}" +
             (i % 2 ? ",\"expires_at\":\"2031-01-01\"" : "") + "}\n";
  }
  ASSERT_EQ(cli({"import", temp_file("many.jsonl", jsonl)}).exit_code, 0);
  json w1 = show_user("w1");
  EXPECT_EQ(w1["expires_at"], "2031-01-01T00:00:00.000Z");
  EXPECT_EQ(w1["attrs"], json({{"k", "v1"}}));
  EXPECT_EQ(show_user("w2")["attrs"], json({{"k", "v2"}}));
  EXPECT_EQ(parse_jsonl(cli({"list", "--where", "attrs.k=v1", "-o", "jsonl"}).out).size(), 1u);
  EXPECT_EQ(parse_jsonl(cli({"export"}).out)[1]["attrs"], json({{"k", "v1"}}));
}

TEST_P(ImportTest, PasswdLinesNeedSevenFieldsAndNumericIds) {
  const std::string passwd =
      temp_file("passwd", "alice:x:1000:1000:Alice:/home/alice\nbob:x:abc:1001::/home/bob:/bin/sh\n");
  const RunResult r = cli({"import", "--format", "passwd", passwd});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_NE(r.err.find("line 1: has 6 fields"), std::string::npos) << r;
  EXPECT_NE(r.err.find("line 2: uid 'abc'"), std::string::npos) << r;
}

TEST_P(ImportTest, GroupFileMemberThatIsNoUserIsAProblem) {
  const std::string passwd = temp_file("passwd", "alice:x:1000:1000::/home/alice:/bin/sh\n");
  const std::string group = temp_file("group", "devs:x:2000:alice,ghost\n");
  const RunResult r = cli({"import", "--format", "passwd", "--group-file", group, passwd});
  EXPECT_TRUE(Failed(r, 5, "member 'ghost'")) << r;
  EXPECT_TRUE(list_usernames().empty());
  EXPECT_TRUE(list_groups().empty());
}

TEST_P(ImportTest, DryRunPrintsThePlanAndChangesNothing) {
  add_user("alice", {"--name", "Old"});
  const RunResult before = cli({"export"});
  const std::string file =
      temp_file("users.jsonl", "{\"username\":\"alice\",\"name\":\"New\"}\n{\"username\":\"bob\"}\n");
  const RunResult r = cli({"import", "--upsert", "--dry-run", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto plan = parse_jsonl(r.out);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0]["action"], "update");
  EXPECT_EQ(plan[0]["name"], "alice");
  EXPECT_EQ(plan[0]["before"]["name"], "Old");
  EXPECT_EQ(plan[0]["after"]["name"], "New");
  EXPECT_EQ(plan[1]["action"], "create");
  EXPECT_EQ(plan[1]["name"], "bob");
  EXPECT_NE(r.err.find("dry run"), std::string::npos) << r;
  EXPECT_EQ(cli({"export"}).out, before.out);
  EXPECT_EQ(events().size(), 1u);

  // A dry run of a bad file fails like the real one, with stdout empty.
  const std::string bad = temp_file("bad.jsonl", "{\"username\":\"carol\"}\n{\"username\":\"BAD\"}\n");
  EXPECT_TRUE(Failed(cli({"import", "--dry-run", bad}), 5, "line 2"));
}

TEST_P(ImportTest, MissingFileOrDirectoryIsAUsageError) {
  EXPECT_TRUE(Failed(cli({"import", (temp_dir() / "nosuch.jsonl").string()}), 2, "cannot open"));
  EXPECT_TRUE(Failed(cli({"import", temp_dir().string()}), 2, "directory"));
  EXPECT_TRUE(Failed(cli({"import", "--format", "xml", "-"}), 2));
}

TEST_P(ImportTest, ProgressOnlyWhenStderrIsATerminal) {
  std::string lines;
  for (int i = 0; i < 300; ++i) lines += "{\"username\":\"user" + std::to_string(i) + "\"}\n";
  const std::string file = temp_file("users.jsonl", lines);
  const RunResult piped = cli({"import", file});
  ASSERT_EQ(piped.exit_code, 0) << piped;
  EXPECT_EQ(piped.err.find('%'), std::string::npos) << piped;
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "user0"})));
  // script(1) gives the command a terminal for stdout and stderr alike.
  std::string command = shell_quote(usersctl_binary()) + " --db " + shell_quote(db_url()) +
                        " import --upsert " + shell_quote(file);
  RunOptions options;
  options.replace_env = env();
  const RunResult tty = run_process("/usr/bin/script", {"-qec", command, "/dev/null"}, options);
  ASSERT_EQ(tty.exit_code, 0) << tty;
  EXPECT_NE(tty.out.find("100%"), std::string::npos) << tty;
  EXPECT_NE(tty.out.find("300 records"), std::string::npos) << tty;
}

}  // namespace
}  // namespace usersctl::e2e
