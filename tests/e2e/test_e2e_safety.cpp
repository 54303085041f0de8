// Safe by default (issue 15, first part): a failed write of stdout is exit 8, reads never create
// a database, `usersctl`, `help` and `version` as people expect, and the messages that misled.

#include <filesystem>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "test_files.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;
using Args = std::vector<std::string>;

const char kFullDisk[] =
    "usersctl: error: output could not be written: No space left on device (what was printed is "
    "incomplete)\n";

std::string joined(const Args& args) {
  std::string out;
  for (const auto& arg : args) out += (out.empty() ? "" : " ") + arg;
  return out;
}

class SafetyTest : public E2eTest {
 protected:
  // usersctl --db URL ARGS... run by /bin/sh with `redirect` applied to it (e.g. "> /dev/full").
  RunResult cli_redirected(const Args& args, const std::string& redirect) const {
    std::string script = "exec " + shell_quote(usersctl_binary()) + " --db " + shell_quote(db_url());
    for (const auto& arg : args) script += " " + shell_quote(arg);
    script += " " + redirect;
    RunOptions options;
    options.replace_env = env();
    return run_process("/bin/sh", {"-c", script}, options);
  }

  // usersctl --db URL ARGS... with stdout a pipe nobody reads any more and SIGPIPE ignored, as
  // under a parent that ignores it (the write then fails with EPIPE instead of killing us).
  RunResult cli_into_closed_pipe(const Args& args) const {
    const std::string script =
        "import os, signal, subprocess, sys\n"
        "r, w = os.pipe(); os.close(r)\n"
        "signal.signal(signal.SIGPIPE, signal.SIG_IGN)\n"
        "sys.exit(subprocess.run(sys.argv[1:], stdout=w, restore_signals=False).returncode)\n";
    Args command{"-c", script, usersctl_binary(), "--db", db_url()};
    command.insert(command.end(), args.begin(), args.end());
    RunOptions options;
    options.replace_env = env();
    return run_process("/usr/bin/python3", command, options);
  }

  // Whether the database exists: the SQLite file, or usersctl's schema in the PostgreSQL database
  // (asked with a read that only succeeds on an existing database).
  bool database_exists() const {
    if (backend() == "sqlite") return fs::exists(db_path());
    return cli({"health"}).exit_code == 0;
  }

  void arrange_users() {
    add_user("alice", {"--attr", "team=ops"});
    add_user("bob");
    add_group("g1");
    ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "g1", "alice"})));
  }
};
USERSCTL_E2E_INSTANTIATE(SafetyTest);

// ---- 1. writing stdout can fail: exit 8 ----

TEST_P(SafetyTest, EveryCommandThatPrintsExitsEightWhenStdoutIsFull) {
  arrange_users();
  for (const Args& args : std::vector<Args>{{"export"},
                                            {"export", "--format", "csv"},
                                            {"export", "--format", "passwd"},
                                            {"export", "--format", "group"},
                                            {"list"},
                                            {"list", "-o", "json"},
                                            {"list", "-o", "table"},
                                            {"list", "-o", "csv"},
                                            {"show", "alice"},
                                            {"search", "al"},
                                            {"group", "list"},
                                            {"group", "show", "g1"},
                                            {"events", "list"},
                                            {"events", "tail"},
                                            {"events", "tail", "--follow"},
                                            {"events", "status", "-o", "json"},
                                            {"health", "-o", "json"},
                                            {"settings", "list"},
                                            {"version"},
                                            {"version", "-o", "json"},
                                            {"help"},
                                            {"--help"},
                                            {"completion", "bash"},
                                            {"__complete", "users", "a"}}) {
    const RunResult r = cli_redirected(args, "> /dev/full");
    EXPECT_EQ(r.exit_code, 8) << joined(args) << "\n" << r;
    EXPECT_EQ(r.err, kFullDisk) << joined(args);
  }
}

TEST_P(SafetyTest, ALargeExportToAFullDiskFailsInsteadOfLookingLikeABackup) {
  std::string lines;
  for (int i = 0; i < 3000; ++i) lines += "{\"username\":\"user" + std::to_string(i) + "\"}\n";
  ASSERT_TRUE(Succeeded(cli({"-q", "import", temp_file("many.jsonl", lines)})));
  const RunResult r = cli_redirected({"export"}, "> /dev/full");
  EXPECT_EQ(r.exit_code, 8) << r;
  EXPECT_EQ(r.err, kFullDisk);
  // The same export to a real file succeeds, so the code is about the disk, not the export.
  const fs::path backup = temp_dir() / "backup.jsonl";
  const RunResult ok = cli_redirected({"export"}, "> " + shell_quote(backup.string()));
  EXPECT_EQ(ok.exit_code, 0) << ok;
  EXPECT_EQ(split_lines(read_file(backup)).size(), 3000u);
}

TEST_P(SafetyTest, AClosedStdoutOrPipeIsExitEightToo) {
  arrange_users();
  const RunResult closed = cli_redirected({"list"}, ">&-");
  EXPECT_EQ(closed.exit_code, 8) << closed;
  EXPECT_EQ(
      closed.err,
      "usersctl: error: output could not be written: Bad file descriptor (what was printed is incomplete)\n");
  const RunResult pipe = cli_into_closed_pipe({"export"});
  EXPECT_EQ(pipe.exit_code, 8) << pipe;
  EXPECT_EQ(pipe.err,
            "usersctl: error: output could not be written: Broken pipe (what was printed is incomplete)\n");
}

TEST_P(SafetyTest, AChangeWhoseEventsCannotBePrintedIsCommittedAndExitsEight) {
  const RunResult r = cli_redirected({"add", "carol", "--events"}, "> /dev/full");
  EXPECT_EQ(r.exit_code, 8) << r;
  EXPECT_EQ(r.err, std::string("usersctl: created user 'carol' (uid 1000)\n") + kFullDisk);
  EXPECT_EQ(show_user("carol")["username"], "carol") << "the change stands; only its output was lost";
}

TEST_P(SafetyTest, ANormalRunStillExitsZero) {
  arrange_users();
  const RunResult r = cli_redirected({"export"}, "> /dev/null");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
}

// ---- 2. read commands never create a database ----

const std::vector<Args>& read_commands() {
  static const std::vector<Args> commands{{"show", "alice"},
                                          {"list"},
                                          {"list", "--where", "attrs.team=ops"},
                                          {"search", "al"},
                                          {"export"},
                                          {"export", "--format", "passwd"},
                                          {"events", "list"},
                                          {"events", "tail"},
                                          {"events", "status"},
                                          {"events", "deliver"},
                                          {"events", "redeliver", "--failed"},
                                          {"health"},
                                          {"settings", "list"},
                                          {"settings", "get", "uid_range"},
                                          {"group", "list"},
                                          {"group", "show", "g1"},
                                          {"ssh-key", "list", "alice"},
                                          {"ssh-authorized-keys", "alice"},
                                          {"hook", "list"}};
  return commands;
}

TEST_P(SafetyTest, ReadsOnAMissingDatabaseExitSixAndCreateNothing) {
  // The SQLite path or the PostgreSQL URL (which has no password to redact here).
  const std::string where = db_url();
  for (const auto& args : read_commands()) {
    EXPECT_TRUE(Failed(cli(args), 6, "usersctl: error: no database at " + where)) << joined(args);
    EXPECT_FALSE(database_exists()) << joined(args) << " created the database";
  }
  EXPECT_TRUE(Failed(cli({"check-password", "alice", "--password-stdin"}, "secret\n"), 6, "no database at"));
  // Completion is silent about it, but says so in its exit code.
  // (As the scripts call it: __complete first.)
  const RunResult completion = run({"__complete", "users", "a", "--db", db_url()});
  EXPECT_EQ(completion.exit_code, 6) << completion;
  EXPECT_EQ(completion.out + completion.err, "");
  EXPECT_FALSE(database_exists()) << "__complete created the database";
  if (backend() == "sqlite") {
    EXPECT_FALSE(fs::exists(home_dir() / ".local")) << "nor the default folder";
    EXPECT_FALSE(fs::exists(db_path().string() + "-wal"));
  }
}

TEST_P(SafetyTest, WritesStillCreateTheDatabaseAndReadsThenWork) {
  ASSERT_TRUE(Failed(cli({"list"}), 6));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice"})));
  EXPECT_TRUE(database_exists());
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
  for (const auto& args : read_commands()) {
    const RunResult r = cli(args);
    EXPECT_NE(r.exit_code, 6) << joined(args) << "\n" << r;
  }
}

class SqliteSafetyTest : public SqliteE2eTest {};

TEST_F(SqliteSafetyTest, ReadsNeverCreateTheDefaultDatabaseNorItsFolder) {
  const fs::path folder = home_dir() / ".local" / "share" / "usersctl";
  for (const Args& args : std::vector<Args>{{"list"}, {"health"}, {"export"}, {"events", "tail"}}) {
    EXPECT_TRUE(Failed(run(args), 6, "no database at " + (folder / "users.db").string())) << joined(args);
  }
  EXPECT_FALSE(fs::exists(home_dir() / ".local")) << "a read made the default folder";
  ASSERT_TRUE(MutationSucceeded(run({"add", "alice"})));
  EXPECT_TRUE(fs::exists(folder / "users.db"));
}

TEST_F(SqliteSafetyTest, AReadOnAPathInAMissingFolderCreatesNoFolder) {
  const fs::path nested = temp_dir() / "no" / "such" / "users.db";
  const RunResult r = run({"--db", nested.string(), "list"});
  EXPECT_TRUE(Failed(r, 6, "no database at " + nested.string()));
  EXPECT_FALSE(fs::exists(temp_dir() / "no"));
}

// ---- 3. usersctl, help, version ----

TEST_P(SafetyTest, NoArgumentsPrintsTheHelpOnStderrAndExitsTwo) {
  const RunResult r = run({});
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, run({"--help"}).out) << "the same overview --help prints";
  EXPECT_NE(r.err.find("Subcommands:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("help"), std::string::npos) << r.err;
}

TEST_P(SafetyTest, HelpPrintsTheHelpOfTheNamedCommand) {
  const RunResult top = run({"help"});
  EXPECT_EQ(top.exit_code, 0) << top;
  EXPECT_EQ(top.out, run({"--help"}).out);
  EXPECT_EQ(top.err, "");
  for (const Args& topic : std::vector<Args>{{"add"}, {"group"}, {"group", "add"}, {"events", "list"}}) {
    Args help{"help"};
    help.insert(help.end(), topic.begin(), topic.end());
    Args flag = topic;
    flag.emplace_back("--help");
    const RunResult r = run(help);
    EXPECT_EQ(r.exit_code, 0) << joined(help) << "\n" << r;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, run(flag).out) << joined(help);
    EXPECT_NE(r.out.find("usersctl " + joined(topic)), std::string::npos) << r.out;
  }
  EXPECT_TRUE(Failed(run({"help", "group", "lsit"}), 2, "did you mean 'group list'?"));
  EXPECT_TRUE(Failed(run({"help", "bogus"}), 2, "unknown command 'bogus'"));
  EXPECT_FALSE(fs::exists(home_dir() / ".local")) << "help needs no database";
}

TEST_P(SafetyTest, VersionPrintsTheVersionAndAsJsonTheSchemaAndBackends) {
  const RunResult plain = cli({"version"});
  EXPECT_EQ(plain.exit_code, 0) << plain;
  EXPECT_EQ(plain.out, std::string("usersctl ") + usersctl::kVersion + "\n");
  EXPECT_EQ(plain.out, cli({"--version"}).out);
  EXPECT_EQ(plain.err, "");

  const RunResult r = cli({"version", "-o", "json"});
  ASSERT_TRUE(Succeeded(r));
  json version = parse_json(r.out);
  EXPECT_EQ(version["version"], usersctl::kVersion);
  EXPECT_EQ(version["backends"], (json{"sqlite", "postgresql"}));
  ASSERT_TRUE(version["schema_version"].is_object()) << r.out;
  EXPECT_FALSE(database_exists()) << "version opens no database";

  // The schema this binary creates is what a new database then reports.
  add_user("alice");
  json health = parse_json(cli({"health", "-o", "json"}).out);
  EXPECT_EQ(version["schema_version"][backend()], health["schema_version"]) << r.out;
  // A broken config file does not stop it either.
  write_file(temp_dir() / "config" / "usersctl" / "config.json", "{not json");
  const RunResult broken =
      run({"version", "-o", "json"}, {}, {{"XDG_CONFIG_HOME", (temp_dir() / "config").string()}});
  EXPECT_EQ(broken.exit_code, 0) << broken;
}

// ---- 4. messages that misled ----

TEST_P(SafetyTest, UpdateUidIsARealOption) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--uid", "5000"})));
  json alice = show_user("alice");
  EXPECT_EQ(alice["uid"], 5000);
  EXPECT_EQ(alice["gid"], 5000) << "the private group follows the uid";
}

TEST_P(SafetyTest, RemovingANonMemberSaysItIsNotAMember) {
  arrange_users();
  const auto events_before = parse_jsonl(cli({"events", "list"}).out).size();
  const RunResult r = cli({"group", "remove", "g1", "bob"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "usersctl: 'bob' is not a member of group 'g1'; nothing to do\n");
  const RunResult again = cli({"group", "add", "g1", "alice"});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_EQ(again.err, "usersctl: 'alice' is already a member of group 'g1'; nothing to do\n");
  // Mixed: the change is confirmed, the no-op named, and nothing else is said.
  const RunResult mixed = cli({"group", "remove", "g1", "alice", "bob"});
  EXPECT_EQ(mixed.exit_code, 0) << mixed;
  EXPECT_EQ(mixed.err,
            "usersctl: removed 'alice' from group 'g1'\n"
            "usersctl: 'bob' is not a member of group 'g1'\n");
  EXPECT_EQ(parse_jsonl(cli({"events", "list"}).out).size(), events_before + 1) << "one member_removed";
  const RunResult set = cli({"group", "set", "g1"});
  EXPECT_EQ(set.err, "usersctl: group 'g1' already has exactly these members; nothing to do\n");
  EXPECT_TRUE(Failed(cli({"group", "remove", "g1", "ghost"}), 3, "ghost")) << "an unknown user stays exit 3";
}

TEST_P(SafetyTest, SettingAndUnsettingTheSameAttributeIsAUsageError) {
  add_user("alice", {"--attr", "a=0"});
  const json before = show_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--attr", "a=1", "--unset-attr", "a"}), 2,
                     "--attr and --unset-attr both name 'a'"));
  EXPECT_EQ(show_user("alice"), before) << "nothing changed";
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--attr", "b=1", "--unset-attr", "a"})));
  EXPECT_EQ(show_user("alice")["attrs"], (json{{"b", "1"}}));
}

TEST_P(SafetyTest, EveryBadFilterIsAUsageError) {
  arrange_users();
  for (const auto& [filter, mentions] : std::vector<std::pair<std::string, std::string>>{
           {"team=ops", "--where: unknown field 'team'"},
           {"attrs.team", "--where 'attrs.team': expected KEY=VALUE"},
           {"=ops", "expected KEY=VALUE"},
           {"uid=abc", "--where 'uid=abc'"},
           {"disabled=maybe", "--where 'disabled=maybe'"},
           {"attrs.=x", "--where 'attrs.=x'"}}) {
    EXPECT_TRUE(Failed(cli({"list", "--where", filter}), 2, mentions)) << filter;
  }
  EXPECT_EQ(list_usernames({"--where", "attrs.team=ops"}), std::vector<std::string>{"alice"});
  const RunResult events = cli({"events", "list", "--type", "bogus"});
  EXPECT_TRUE(Failed(events, 2, "--type: unknown event type 'bogus'"));
  EXPECT_EQ(events.err.find("--types"), std::string::npos) << "events list has --type; " << events.err;
  EXPECT_TRUE(
      Failed(cli({"hook", "add", "--exec", "true", "--types", "bogus"}), 5, "--types: unknown event type"))
      << "a hook's types are a record's field, not a filter";
}

TEST_P(SafetyTest, ATransposedCommandSuggestsTheRightOne) {
  EXPECT_TRUE(Failed(cli({"group", "lsit"}), 2, "did you mean 'group list'?"));
  EXPECT_TRUE(Failed(cli({"lsit"}), 2, "did you mean 'list'?"));
  EXPECT_TRUE(Failed(cli({"events", "stauts"}), 2, "did you mean 'events status'?"));
  EXPECT_TRUE(Failed(cli({"hlep"}), 2, "did you mean 'help'?"));
}

TEST_P(SafetyTest, TheFileNameDecidesTheImportFormat) {
  const std::string passwd = "carol:x:2000:2000:Carol:/home/carol:/bin/sh\n";
  ASSERT_TRUE(MutationSucceeded(cli({"import", temp_file("x.passwd", passwd)})));
  EXPECT_EQ(show_user("carol")["uid"], 2000);
  ASSERT_TRUE(MutationSucceeded(
      cli({"apply", temp_file("y.passwd", passwd + "dave:x:2001:2001::/home/dave:/bin/sh\n")})));
  EXPECT_EQ(show_user("dave")["uid"], 2001);
  ASSERT_TRUE(
      MutationSucceeded(cli({"import", temp_file("x.csv", "username,email\nerin,erin@example.com\n")})));
  ASSERT_TRUE(MutationSucceeded(cli({"import", temp_file("x.jsonl", "{\"username\":\"frank\"}\n")})));
  // A name that tells nothing: JSON Lines, and the error says which --format fits.
  const RunResult r = cli({"import", temp_file("users.txt", "gina:x:3000:3000::/home/gina:/bin/sh\n")});
  EXPECT_TRUE(Failed(r, 5, "use --format passwd"));
  const RunResult csv = cli({"import", temp_file("users.dat", "username,email\nhank,h@example.com\n")});
  EXPECT_NE(csv.err.find("use --format csv"), std::string::npos) << csv;
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"carol", "dave", "erin", "frank"})) << "nothing more";
}

TEST_P(SafetyTest, UidExhaustionDuringAnImportNamesTheFileAndLine) {
  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "uid_range", "7000-7001"})));
  const std::string file =
      temp_file("u.jsonl", "{\"username\":\"u1\"}\n{\"username\":\"u2\"}\n{\"username\":\"u3\"}\n");
  EXPECT_TRUE(
      Failed(cli({"import", file}), 4, file + ": line 3: user 'u3': no free uid in uid_range 7000-7001"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{}) << "nothing was imported";
}

}  // namespace
}  // namespace usersctl::e2e
