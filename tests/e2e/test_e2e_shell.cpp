// Fitting the shell: the man page, completion scripts in bash, zsh and fish, the hidden
// `__complete` command, `--help` with examples, `cmake --install`, and config-file profiles.
//
// The shells, man and groff come from scripts/bootstrap; a missing one fails the test with a hint
// rather than skipping it. zsh completion runs for real through zpty (tests/e2e/zsh_complete.zsh).
// How fast `__complete` is on 100,000 users is measured by scripts/bench, not here.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = USERSCTL_SOURCE_DIR;
const fs::path kManPage = kSourceDir / "man" / "usersctl.1";
const fs::path kBashScript = kSourceDir / "completions" / "usersctl.bash";
const fs::path kZshScript = kSourceDir / "completions" / "_usersctl";
const fs::path kFishScript = kSourceDir / "completions" / "usersctl.fish";
const fs::path kZshDriver = kSourceDir / "tests" / "e2e" / "zsh_complete.zsh";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The program's path on the sandbox PATH, or empty.
std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

#define REQUIRE_PROGRAM(var, name)                                                              \
  const std::string var = find_program(name);                                                   \
  ASSERT_FALSE(var.empty()) << name << " is not installed; scripts/bootstrap installs it (the " \
                            << "shell tests never skip)"

// Every command path the binary offers, found by walking `--help` ("group create", "events tail"...).
std::vector<std::vector<std::string>> command_paths(const E2eSandbox& sandbox) {
  std::vector<std::vector<std::string>> paths;
  std::vector<std::vector<std::string>> todo{{}};
  while (!todo.empty()) {
    const auto path = todo.back();
    todo.pop_back();
    auto args = path;
    args.push_back("--help");
    const RunResult r = sandbox.run(args);
    EXPECT_EQ(r.exit_code, 0) << r;
    bool in_subcommands = false;
    std::vector<std::string> subs;
    for (const auto& line : split_lines(r.out)) {
      if (line == "Subcommands:") {
        in_subcommands = true;
        continue;
      }
      if (!in_subcommands) continue;
      if (line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ') {
        if (line.empty() || line[0] != ' ') in_subcommands = false;
        continue;
      }
      subs.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
    if (!path.empty()) paths.push_back(path);
    for (const auto& sub : subs) {
      auto next = path;
      next.push_back(sub);
      todo.push_back(next);
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string joined(const std::vector<std::string>& words, const std::string& separator = " ") {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

// The long options (--name) in the Options section of a --help text.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> options;
  bool in_options = false;
  static const std::regex option(R"((?:^|[ ,])(--[a-z][a-z-]*))");
  for (const auto& line : split_lines(help)) {
    if (line == "Options:") {
      in_options = true;
      continue;
    }
    if (in_options && (line.empty() || line[0] != ' ')) in_options = false;
    if (!in_options || line.rfind("  -", 0) != 0) continue;
    const std::string head = line.substr(0, line.find("  ", 2));  // the option column only
    for (auto it = std::sregex_iterator(head.begin(), head.end(), option); it != std::sregex_iterator();
         ++it) {
      options.insert((*it)[1]);
    }
  }
  return options;
}

class ShellTest : public SqliteE2eTest {
 protected:
  // The environment a shell test runs in: the sandbox's, with `usersctl` (a link to the binary under
  // test) first on PATH and USERSCTL_DB naming the sandbox database.
  RunOptions shell_options() {
    const fs::path bin = temp_dir() / "bin";
    if (!fs::exists(bin / "usersctl")) {
      fs::create_directories(bin);
      fs::create_symlink(usersctl_binary(), bin / "usersctl");
    }
    RunOptions options;
    options.replace_env = env();
    (*options.replace_env)["PATH"] = bin.string() + ":" + env().at("PATH");
    (*options.replace_env)["USERSCTL_DB"] = db_url();
    options.timeout = std::chrono::seconds(60);
    return options;
  }

  // COMPREPLY after completing the last of `words` with the bash script.
  std::vector<std::string> bash_complete(const std::vector<std::string>& words) {
    const std::string bash = find_program("bash");
    std::vector<std::string> args{"--norc", "--noprofile", "-c",
                                  "source \"$0\" || exit 3\n"
                                  "complete -p usersctl >/dev/null || exit 4\n"
                                  "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()\n"
                                  "_usersctl\n"
                                  "((${#COMPREPLY[@]})) && printf '%s\\n' \"${COMPREPLY[@]}\"\n"
                                  "exit 0",
                                  kBashScript.string()};
    args.insert(args.end(), words.begin(), words.end());
    const RunResult r = run_process(bash, args, shell_options());
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.err, "") << r;
    return split_lines(r.out);
  }

  // What fish offers for `line` (candidates without their descriptions).
  std::vector<std::string> fish_complete(const std::string& line) {
    const std::string fish = find_program("fish");
    const RunResult r = run_process(
        fish,
        {"--no-config", "-c", "source $argv[1]; or exit 3; complete -C $argv[2]", kFishScript.string(), line},
        shell_options());
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.err, "") << r;
    std::vector<std::string> candidates;
    for (const auto& out_line : split_lines(r.out))
      candidates.push_back(out_line.substr(0, out_line.find('\t')));
    return candidates;
  }

  // The command line after typing `line` and TAB in an interactive zsh.
  std::string zsh_complete(const std::string& line, const std::string& mode = "source") {
    const std::string zsh = find_program("zsh");
    const RunResult r =
        run_process(zsh, {"-f", kZshDriver.string(), kZshScript.string(), line, mode}, shell_options());
    EXPECT_EQ(r.exit_code, 0) << r;
    const auto lines = split_lines(r.out);
    return lines.empty() ? "" : lines.back();
  }

  fs::path config_file() const { return temp_dir() / "config" / "usersctl" / "config.json"; }

  // env() plus XDG_CONFIG_HOME pointing at the sandbox's config folder.
  Environment config_env(Environment extra = {}) const {
    extra["XDG_CONFIG_HOME"] = (temp_dir() / "config").string();
    return extra;
  }

  void add_users_and_groups() {
    add_user("alice");
    add_user("albert");
    add_user("bob");
    add_group("admins");
    add_group("audit");
  }
};

// ---- man page ----

TEST_F(ShellTest, ManPageRendersWithoutWarnings) {
  REQUIRE_PROGRAM(man, "man");
  REQUIRE_PROGRAM(groff, "groff");
  RunOptions options;
  options.replace_env = env();
  (*options.replace_env)["MANWIDTH"] = "80";
  const RunResult rendered = run_process(man, {"--warnings", "-l", kManPage.string()}, options);
  EXPECT_EQ(rendered.exit_code, 0) << rendered;
  EXPECT_EQ(rendered.err, "") << "man -l warns";
  EXPECT_TRUE(contains(rendered.out, "SYNOPSIS")) << rendered.out;

  const RunResult checked = run_process(groff, {"-ww", "-man", "-z", kManPage.string()}, options);
  EXPECT_EQ(checked.exit_code, 0) << checked;
  EXPECT_EQ(checked.err, "") << "groff -ww warns";
}

TEST_F(ShellTest, ManPageNamesEveryCommandAndOption) {
  REQUIRE_PROGRAM(man, "man");
  RunOptions options;
  options.replace_env = env();
  (*options.replace_env)["MANWIDTH"] = "250";  // one synopsis per line
  const RunResult rendered = run_process(man, {"-l", kManPage.string()}, options);
  ASSERT_EQ(rendered.exit_code, 0) << rendered;
  const std::string page = rendered.out;
  ASSERT_FALSE(contains(page, "\b")) << "expected plain text from man on a pipe";

  const auto paths = command_paths(*this);
  // The contract's commands, so that a broken walk of --help cannot pass by finding nothing.
  for (const std::string expected :
       {"add",           "update",      "delete",         "show",           "list",
        "search",        "passwd",      "check-password", "group create",   "group delete",
        "group rename",  "group add",   "group remove",   "group set",      "group list",
        "group show",    "events list", "events tail",    "events deliver", "events redeliver",
        "events status", "hook add",    "hook list",      "hook remove",    "hook test",
        "export",        "health",      "completion"}) {
    EXPECT_TRUE(std::any_of(paths.begin(), paths.end(), [&](const auto& p) { return joined(p) == expected; }))
        << "the binary has no '" << expected << "' command";
  }
  for (const auto& path : paths) {
    const std::string name = joined(path);
    EXPECT_TRUE(contains(page, "usersctl " + name))
        << "the man page's synopsis lacks 'usersctl " << name << "'";
    auto args = path;
    args.push_back("--help");
    for (const auto& option : help_options(run(args).out)) {
      if (option == "--help") continue;
      EXPECT_TRUE(contains(page, option)) << "the man page does not mention " << name << " " << option;
    }
  }
  for (const auto& option : help_options(run({"--help"}).out)) {
    EXPECT_TRUE(contains(page, option)) << "the man page does not mention the global option " << option;
  }
  EXPECT_FALSE(contains(page, "__complete")) << "the hidden command is for the scripts only";
}

TEST_F(ShellTest, ManPageDocumentsExitCodesEnvironmentFilesEventsAndWebhooks) {
  REQUIRE_PROGRAM(man, "man");
  RunOptions options;
  options.replace_env = env();
  (*options.replace_env)["MANWIDTH"] = "250";
  const std::string page = run_process(man, {"-l", kManPage.string()}, options).out;
  for (const std::string section : {"EXIT STATUS", "ENVIRONMENT", "FILES", "CONFIGURATION", "EVENT FORMAT",
                                    "WEBHOOKS", "EXAMPLES", "Import and export"}) {
    EXPECT_TRUE(contains(page, section)) << section;
  }
  const std::string version = run({"--version"}).out;
  ASSERT_EQ(version.rfind("usersctl ", 0), 0u) << version;
  EXPECT_TRUE(contains(page, version.substr(0, version.find('\n'))))
      << "the man page's .TH names another version";
  const auto exit_status = page.substr(page.find("EXIT STATUS"));
  for (int code = 0; code <= 8; ++code) {
    EXPECT_TRUE(std::regex_search(exit_status, std::regex("\n +" + std::to_string(code) + " +[A-Z]")))
        << "exit code " << code;
  }
  for (const std::string text : {"USERSCTL_DB",
                                 "USERSCTL_PROFILE",
                                 "USERSCTL_BUSY_TIMEOUT_MS",
                                 "XDG_DATA_HOME",
                                 "XDG_CONFIG_HOME",
                                 "SUDO_USER",
                                 "$XDG_DATA_HOME/usersctl/users.db",
                                 "$XDG_CONFIG_HOME/usersctl/config.json",
                                 "specversion",
                                 "application/cloudevents+json",
                                 "webhook-id",
                                 "webhook-timestamp",
                                 "webhook-signature: v1,",
                                 "HMAC-SHA256",
                                 "id.timestamp.body",
                                 "user.created",
                                 "group.member_removed",
                                 "events tail --follow",
                                 "events deliver",
                                 "| jq",
                                 "import --upsert",
                                 "apply --dry-run"}) {
    EXPECT_TRUE(contains(page, text)) << text;
  }
}

// ---- completion scripts ----

TEST_F(ShellTest, CompletionCommandPrintsTheCommittedScriptsByteForByte) {
  for (const auto& [shell, file] : std::vector<std::pair<std::string, fs::path>>{
           {"bash", kBashScript}, {"zsh", kZshScript}, {"fish", kFishScript}}) {
    const RunResult r = run({"completion", shell});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.err, "");
    const std::string committed = read_file(file);
    ASSERT_FALSE(committed.empty()) << file;
    EXPECT_TRUE(r.out == committed) << "usersctl completion " << shell << " differs from " << file
                                    << " (rebuild?)";
  }
  EXPECT_TRUE(Failed(run({"completion", "tcsh"}), 2, "tcsh"));
  EXPECT_TRUE(Failed(run({"completion"}), 2));
}

TEST_F(ShellTest, CompletionCommandNeedsNoDatabaseAndIgnoresABrokenConfig) {
  write_file(config_file(), "{not json");
  const RunResult r = run({"completion", "bash"}, {}, config_env({{"USERSCTL_DB", "/nonexistent/dir/x.db"}}));
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(r.out == read_file(kBashScript));
}

TEST_F(ShellTest, HiddenCompleteListsNamesByPrefix) {
  add_users_and_groups();
  EXPECT_EQ(cli({"__complete", "users", "al"}).out, "albert\nalice\n");
  EXPECT_EQ(cli({"__complete", "users"}).out, "albert\nalice\nbob\n");
  EXPECT_EQ(cli({"__complete", "users", "--", "b"}).out, "bob\n");
  EXPECT_EQ(cli({"__complete", "groups", "a"}).out, "admins\naudit\n");
  EXPECT_EQ(cli({"__complete", "groups", "adm"}).out, "admins\n");
  const RunResult none = cli({"__complete", "users", "zed"});
  EXPECT_EQ(none.exit_code, 0) << none;
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "");
  // Renames and deletes show at once: the names come from the database, not a cache.
  ASSERT_TRUE(QuietlySucceeded(cli({"-q", "update", "albert", "--rename", "bert"})));
  ASSERT_TRUE(QuietlySucceeded(cli({"-q", "delete", "bob"})));
  EXPECT_EQ(cli({"__complete", "users"}).out, "alice\nbert\n");
  EXPECT_FALSE(contains(cli({"--help"}).out, "__complete")) << "hidden from --help";
}

TEST_F(ShellTest, HiddenCompleteIsSilentOnEveryError) {
  add_user("alice");
  const fs::path missing = temp_dir() / "missing.db";
  // Silent, but the exit code tells what went wrong (6: no database there; 2: a bad command line).
  for (const auto& [args, code] : std::vector<std::pair<std::vector<std::string>, int>>{
           {{"__complete", "users", "a", "--db", missing.string()}, 6},
           {{"__complete", "bogus", "a", "--db", db_url()}, 2},
           {{"__complete", "--db", db_url()}, 2},
           {{"__complete", "users", "--no-such-option", "--db", db_url()}, 2},
           {{"__complete", "users", "a", "--db", "mysql://nowhere"}, 2},
           {{"__complete", "users", "a", "--profile", "nope"}, 0}}) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, code) << joined(args) << "\n" << r;
    EXPECT_EQ(r.out, "") << joined(args);
    EXPECT_EQ(r.err, "") << joined(args);
  }
  EXPECT_FALSE(fs::exists(missing)) << "pressing TAB must not create a database";
  // Not even the default database is created.
  const RunResult r = run({"__complete", "users", "a"});
  EXPECT_EQ(r.exit_code, 6) << r;
  EXPECT_EQ(r.out + r.err, "");
  EXPECT_FALSE(fs::exists(home_dir() / ".local" / "share" / "usersctl")) << "created the default database";
  // A malformed config file is reported by real commands, never by completion.
  write_file(config_file(), "{\"profiles\": [");
  const RunResult broken = run({"__complete", "users", "a", "--db", db_url()}, {}, config_env());
  EXPECT_EQ(broken.exit_code, 0) << broken;
  EXPECT_EQ(broken.err, "");
  EXPECT_EQ(broken.out, "alice\n") << "with --db, completion still answers";
  const RunResult no_db = run({"__complete", "users", "a"}, {}, config_env());
  EXPECT_EQ(no_db.exit_code, 0) << no_db;
  EXPECT_EQ(no_db.out + no_db.err, "");
}

TEST_F(ShellTest, BashCompletionCompletesCommandsOptionsAndLiveNames) {
  REQUIRE_PROGRAM(bash, "bash");
  add_users_and_groups();
  using V = std::vector<std::string>;
  EXPECT_EQ(bash_complete({"usersctl", "gr"}), V{"group"});
  EXPECT_EQ(bash_complete({"usersctl", "check"}), V{"check-password"});
  EXPECT_EQ(bash_complete({"usersctl", "show", "al"}), (V{"albert", "alice"}));
  EXPECT_EQ(bash_complete({"usersctl", "update", "b"}), V{"bob"});
  EXPECT_EQ(bash_complete({"usersctl", "group", "re"}), (V{"rename", "remove", "restore"}));
  EXPECT_EQ(bash_complete({"usersctl", "group", "add", "au"}), V{"audit"});
  EXPECT_EQ(bash_complete({"usersctl", "group", "add", "audit", "alice", "b"}), V{"bob"});
  EXPECT_EQ(bash_complete({"usersctl", "list", "--group", "ad"}), V{"admins"});
  EXPECT_EQ(bash_complete({"usersctl", "-o", "js"}), (V{"json", "jsonl"}));
  EXPECT_EQ(bash_complete({"usersctl", "list", "--dis"}), V{"--disabled"});
  EXPECT_EQ(bash_complete({"usersctl", "completion", "z"}), V{"zsh"});
  EXPECT_EQ(bash_complete({"usersctl", "exp"}), V{"export"});
  EXPECT_EQ(bash_complete({"usersctl", "he"}), (V{"health", "help"}));
  EXPECT_EQ(bash_complete({"usersctl", "vers"}), V{"version"});
  EXPECT_EQ(bash_complete({"usersctl", "help", "gr"}), V{"group"}) << "help takes a command path";
  EXPECT_EQ(bash_complete({"usersctl", "help", "group", "li"}), V{"list"});
  EXPECT_EQ(bash_complete({"usersctl", "export", "--f"}), (V{"--format", "--fields"}));
  EXPECT_EQ(bash_complete({"usersctl", "export", "--format", "p"}), V{"passwd"});
  EXPECT_EQ(bash_complete({"usersctl", "show", "alice", ""}), V{}) << "show takes one user";
  // Options and their values before the cursor are skipped, wherever they are.
  EXPECT_EQ(bash_complete({"usersctl", "-o", "json", "--fields", "username", "show", "al"}),
            (V{"albert", "alice"}));
  EXPECT_EQ(bash_complete({"usersctl", "delete", "--if-exists", "alice", "b"}), V{"bob"});
  EXPECT_EQ(bash_complete({"usersctl", "update", "--attr", "team=ops", "b"}), V{"bob"});
  // --db on the command line picks the database the names come from.
  const fs::path other = temp_dir() / "other.db";
  ASSERT_TRUE(QuietlySucceeded(run({"--db", other.string(), "-q", "add", "alfred"})));
  EXPECT_EQ(bash_complete({"usersctl", "--db", other.string(), "show", "al"}), V{"alfred"});
  // bash splits --db=PATH at '=' into three words.
  EXPECT_EQ(bash_complete({"usersctl", "--db", "=", other.string(), "show", "al"}), V{"alfred"});
}

TEST_F(ShellTest, ZshCompletionLoadsAndCompletesCommandsAndLiveNames) {
  REQUIRE_PROGRAM(zsh, "zsh");
  add_users_and_groups();
  // Loads cleanly next to compinit, as a user's .zshrc would do it.
  const RunResult loaded =
      run_process(zsh,
                  {"-f", "-c", "autoload -U compinit; compinit -u -D; source \"$1\"; whence -w _usersctl",
                   "zsh", kZshScript.string()},
                  shell_options());
  EXPECT_EQ(loaded.exit_code, 0) << loaded;
  EXPECT_EQ(loaded.err, "");
  EXPECT_EQ(loaded.out, "_usersctl: function\n");

  EXPECT_EQ(zsh_complete("usersctl gro"), "usersctl group ");
  EXPECT_EQ(zsh_complete("usersctl show ali"), "usersctl show alice ");
  EXPECT_EQ(zsh_complete("usersctl group add aud"), "usersctl group add audit ");
  EXPECT_EQ(zsh_complete("usersctl group add audit alice b"), "usersctl group add audit alice bob ");
  EXPECT_EQ(zsh_complete("usersctl events de"), "usersctl events deliver ");
  EXPECT_EQ(zsh_complete("usersctl vers"), "usersctl version ");
  EXPECT_EQ(zsh_complete("usersctl help gro"), "usersctl help group ");
  EXPECT_EQ(zsh_complete("usersctl list --disa"), "usersctl list --disabled ");
  EXPECT_EQ(zsh_complete("usersctl export --format gr"), "usersctl export --format group ");
  // As installed: autoloaded from its folder on $fpath.
  EXPECT_EQ(zsh_complete("usersctl update bo", "fpath"), "usersctl update bob ");
}

TEST_F(ShellTest, FishCompletionCompletesCommandsOptionsAndLiveNames) {
  REQUIRE_PROGRAM(fish, "fish");
  add_users_and_groups();
  using V = std::vector<std::string>;
  EXPECT_EQ(fish_complete("usersctl gr"), V{"group"});
  EXPECT_EQ(fish_complete("usersctl vers"), V{"version"});
  EXPECT_EQ(fish_complete("usersctl help gr"), V{"group"});
  EXPECT_EQ(fish_complete("usersctl help group li"), V{"list"});
  EXPECT_EQ(fish_complete("usersctl show al"), (V{"albert", "alice"}));
  EXPECT_EQ(fish_complete("usersctl passwd b"), V{"bob"});
  EXPECT_EQ(fish_complete("usersctl group sh"), V{"show"});
  EXPECT_EQ(fish_complete("usersctl group delete a"), (V{"admins", "audit"}));
  EXPECT_EQ(fish_complete("usersctl group set admins alice b"), V{"bob"});
  EXPECT_EQ(fish_complete("usersctl add carol --group au"), V{"audit"});
  EXPECT_EQ(fish_complete("usersctl -o jso"), (V{"json", "jsonl"}));
  EXPECT_EQ(fish_complete("usersctl events tail --fol"), V{"--follow"});
  EXPECT_EQ(fish_complete("usersctl exp"), V{"export"});
  EXPECT_EQ(fish_complete("usersctl export --format c"), V{"csv"});
  EXPECT_EQ(fish_complete("usersctl show alice "), V{}) << "show takes one user";
  const fs::path other = temp_dir() / "other.db";
  ASSERT_TRUE(QuietlySucceeded(run({"--db", other.string(), "-q", "add", "alfred"})));
  EXPECT_EQ(fish_complete("usersctl --db " + other.string() + " show al"), V{"alfred"});
}

// ---- --help ----

TEST_F(ShellTest, EveryCommandHelpSucceedsWithExamples) {
  const RunResult top = run({"--help"});
  EXPECT_EQ(top.exit_code, 0) << top;
  EXPECT_TRUE(contains(top.out, "Examples:")) << top.out;
  EXPECT_TRUE(contains(top.out, "--profile")) << top.out;
  const auto paths = command_paths(*this);
  ASSERT_GE(paths.size(), 27u);
  for (const auto& path : paths) {
    auto args = path;
    args.push_back("--help");
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << joined(path) << "\n" << r;
    EXPECT_EQ(r.err, "") << joined(path);
    const auto examples = r.out.find("Example");
    ASSERT_NE(examples, std::string::npos) << "usersctl " << joined(path) << " --help has no examples";
    EXPECT_TRUE(contains(r.out.substr(examples), " " + path.back()))
        << "the examples of " << joined(path) << " do not use it";
  }
}

TEST_F(ShellTest, UnknownCommandSuggestsTheClosestVisibleOne) {
  EXPECT_TRUE(Failed(run({"completon", "bash"}), 2, "did you mean 'completion'"));
  EXPECT_TRUE(Failed(run({"group", "shw"}), 2, "did you mean 'group show'"));
  const RunResult r = run({"_complete", "users"});
  EXPECT_TRUE(Failed(r, 2));
  EXPECT_FALSE(contains(r.err, "__complete")) << "hidden commands are never suggested";
}

// ---- install ----

TEST_F(ShellTest, CmakeInstallPutsFilesWhereShellsLookForThem) {
  const fs::path prefix = temp_dir() / "prefix";
  RunOptions options;
  options.replace_env = env();
  const RunResult r = run_process(USERSCTL_CMAKE_COMMAND,
                                  {"--install", USERSCTL_BUILD_DIR, "--prefix", prefix.string()}, options);
  ASSERT_EQ(r.exit_code, 0) << r;
  const fs::path bin = prefix / "bin" / "usersctl";
  ASSERT_TRUE(fs::exists(bin)) << r.out;
  EXPECT_EQ(::access(bin.c_str(), X_OK), 0);
  for (const auto& [installed, source] : std::vector<std::pair<fs::path, fs::path>>{
           {prefix / "share" / "man" / "man1" / "usersctl.1", kManPage},
           {prefix / "share" / "bash-completion" / "completions" / "usersctl", kBashScript},
           {prefix / "share" / "zsh" / "site-functions" / "_usersctl", kZshScript},
           {prefix / "share" / "fish" / "vendor_completions.d" / "usersctl.fish", kFishScript}}) {
    ASSERT_TRUE(fs::exists(installed)) << installed << "\n" << r.out;
    EXPECT_TRUE(read_file(installed) == read_file(source)) << installed;
  }
  // The userdb service's units, with ExecStart naming the installed binary.
  const fs::path units = prefix / "lib" / "systemd" / "system";
  ASSERT_TRUE(fs::exists(units / "usersctl-userdb.socket")) << r.out;
  EXPECT_TRUE(contains(read_file(units / "usersctl-userdb.socket"),
                       "ListenStream=/run/systemd/userdb/io.usersctl.UserDatabase"));
  ASSERT_TRUE(fs::exists(units / "usersctl-userdb.service")) << r.out;
  const std::string service = read_file(units / "usersctl-userdb.service");
  EXPECT_TRUE(contains(service, "ExecStart=" + bin.string() + " userdb serve\n")) << service;
  EXPECT_FALSE(contains(service, "@BINDIR@")) << service;
  // The installed binary runs and prints the installed completion.
  const RunResult installed_run = run_process(bin.string(), {"completion", "fish"}, options);
  EXPECT_EQ(installed_run.exit_code, 0) << installed_run;
  EXPECT_TRUE(installed_run.out ==
              read_file(prefix / "share" / "fish" / "vendor_completions.d" / "usersctl.fish"));
}

// ---- config profiles ----

class ProfileTest : public ShellTest {
 protected:
  fs::path prod_db() const { return temp_dir() / "prod.db"; }
  fs::path staging_db() const { return temp_dir() / "staging.db"; }

  void write_profiles(const std::string& default_profile = "") {
    json config = {{"profiles",
                    {{"prod", {{"db", prod_db().string()}}},
                     {"staging", {{"db", "sqlite:" + staging_db().string()}, {"output", "csv"}}}}}};
    if (!default_profile.empty()) config["default_profile"] = default_profile;
    write_file(config_file(), config.dump(2));
  }

  // The user names in the database at `path`.
  std::vector<std::string> names_in(const fs::path& path) const {
    return split_lines(run({"__complete", "users", "--db", path.string()}).out);
  }
};

TEST_F(ProfileTest, ProfileSelectsTheDatabaseAndTheDefaultOutput) {
  write_profiles();
  ASSERT_TRUE(QuietlySucceeded(run({"--profile", "staging", "-q", "add", "sam"}, {}, config_env())));
  ASSERT_TRUE(QuietlySucceeded(run({"-q", "add", "pat", "--profile", "prod"}, {}, config_env())));
  EXPECT_EQ(names_in(staging_db()), std::vector<std::string>{"sam"});
  EXPECT_EQ(names_in(prod_db()), std::vector<std::string>{"pat"});

  const RunResult csv = run({"--profile", "staging", "list", "--fields", "username"}, {}, config_env());
  EXPECT_EQ(csv.exit_code, 0) << csv;
  EXPECT_EQ(csv.out, "username\nsam\n") << "staging's output is csv";
  const RunResult jsonl = run({"--profile", "prod", "list", "--fields", "username"}, {}, config_env());
  EXPECT_EQ(jsonl.out, "{\"username\":\"pat\"}\n") << "prod keeps the piped default";
  // USERSCTL_PROFILE does what --profile does; the flag beats it.
  const RunResult by_env =
      run({"list", "--fields", "username"}, {}, config_env({{"USERSCTL_PROFILE", "staging"}}));
  EXPECT_EQ(by_env.out, "username\nsam\n") << by_env;
  const RunResult flag_wins = run({"--profile", "prod", "list", "--fields", "username"}, {},
                                  config_env({{"USERSCTL_PROFILE", "staging"}}));
  EXPECT_EQ(flag_wins.out, "{\"username\":\"pat\"}\n") << flag_wins;
}

TEST_F(ProfileTest, ProfileOutputDoesNotApplyToExport) {
  write_profiles();
  ASSERT_TRUE(QuietlySucceeded(run({"--profile", "staging", "-q", "add", "sam"}, {}, config_env())));
  // staging says csv; export has its own --format, so its default stays jsonl.
  const RunResult r = run({"--profile", "staging", "export"}, {}, config_env());
  ASSERT_EQ(r.exit_code, 0) << r;
  ASSERT_EQ(split_lines(r.out).size(), 1u) << r.out;
  EXPECT_EQ(json::parse(r.out)["username"], "sam") << r.out;
}

TEST_F(ProfileTest, DefaultProfileAppliesWhenNoneIsChosen) {
  write_profiles("staging");
  ASSERT_TRUE(QuietlySucceeded(run({"-q", "add", "dana"}, {}, config_env())));
  EXPECT_EQ(names_in(staging_db()), std::vector<std::string>{"dana"});
  EXPECT_FALSE(fs::exists(home_dir() / ".local" / "share" / "usersctl")) << "the default file was not used";
}

TEST_F(ProfileTest, FlagsBeatEnvironmentBeatsConfig) {
  write_profiles("staging");
  const fs::path env_db = temp_dir() / "env.db";
  const fs::path flag_db = temp_dir() / "flag.db";
  ASSERT_TRUE(
      QuietlySucceeded(run({"-q", "add", "eve"}, {}, config_env({{"USERSCTL_DB", env_db.string()}}))));
  EXPECT_EQ(names_in(env_db), std::vector<std::string>{"eve"}) << "USERSCTL_DB beats the profile's db";
  ASSERT_TRUE(QuietlySucceeded(run({"-q", "--profile", "prod", "--db", flag_db.string(), "add", "fay"}, {},
                                   config_env({{"USERSCTL_DB", env_db.string()}}))));
  EXPECT_EQ(names_in(flag_db), std::vector<std::string>{"fay"}) << "--db beats USERSCTL_DB and the profile";
  EXPECT_FALSE(fs::exists(prod_db()));
  EXPECT_FALSE(fs::exists(staging_db()));
  // -o beats the profile's output.
  const RunResult json_out = run({"-o", "jsonl", "list", "--fields", "username"}, {},
                                 config_env({{"USERSCTL_DB", env_db.string()}}));
  EXPECT_EQ(json_out.out, "{\"username\":\"eve\"}\n") << json_out;
  const RunResult csv_out =
      run({"list", "--fields", "username"}, {}, config_env({{"USERSCTL_DB", env_db.string()}}));
  EXPECT_EQ(csv_out.out, "username\neve\n") << "the profile's output still applies with USERSCTL_DB";
}

TEST_F(ProfileTest, UnknownProfileIsAUsageError) {
  EXPECT_TRUE(Failed(run({"--profile", "qa", "list"}, {}, config_env()), 2, "unknown profile 'qa'"))
      << "no config file at all";
  write_profiles();
  const RunResult r = run({"--profile", "qa", "list"}, {}, config_env());
  EXPECT_TRUE(Failed(r, 2, "unknown profile 'qa'"));
  EXPECT_TRUE(contains(r.err, "prod, staging")) << "names the profiles there are";
  EXPECT_TRUE(Failed(run({"list"}, {}, config_env({{"USERSCTL_PROFILE", "qa"}})), 2, "qa"));
}

TEST_F(ProfileTest, MalformedConfigIsInvalidInputNamingTheFileAndPosition) {
  write_file(config_file(), "{\n  \"profiles\": {\n    \"prod\": {\"db\": \"x.db\",}\n  }\n}\n");
  const RunResult r = run({"list"}, {}, config_env());
  EXPECT_TRUE(Failed(r, 5, config_file().string()));
  EXPECT_TRUE(contains(r.err, "line 3")) << r.err;

  write_file(config_file(), R"({"profiles": {"prod": {"db": "x.db", "outptu": "json"}}})");
  EXPECT_TRUE(Failed(run({"--profile", "prod", "list"}, {}, config_env()), 5, "outptu"));
  write_file(config_file(), R"({"profiles": {"prod": {"output": "xml"}}})");
  EXPECT_TRUE(Failed(run({"--profile", "prod", "list"}, {}, config_env()), 5, "xml"));
  write_file(config_file(), R"({"default_profile": "qa", "profiles": {}})");
  EXPECT_TRUE(Failed(run({"list"}, {}, config_env()), 5, "default_profile 'qa'"));
  write_file(config_file(), R"(["prod"])");
  EXPECT_TRUE(Failed(run({"list"}, {}, config_env()), 5, config_file().string()));
}

// Issue 20: a malformed config names the line and column, never the text it choked on (here a
// database URL with its password, in an unterminated string and before a missing brace).
TEST_F(ProfileTest, MalformedConfigNeverQuotesItsText) {
  const std::string secret = "Cfg-Secret-51d0";
  for (const std::string& text :
       {"{\"profiles\": {\"prod\": {\"db\": \"postgresql://u:" + secret + "@h/db",
        "{\n\"profiles\": {\"prod\": {\"db\": \"postgresql://u:" + secret + "@h/db\"}\n"}) {
    write_file(config_file(), text);
    const RunResult r = run({"--profile", "prod", "list"}, {}, config_env());
    EXPECT_TRUE(Failed(r, 5, "not valid JSON at line ")) << text;
    EXPECT_TRUE(contains(r.err, "column")) << r.err;
    EXPECT_FALSE(contains(r.err, secret)) << r.err;
  }
}

TEST_F(ProfileTest, TildeInAProfileDatabaseMeansHome) {
  write_file(config_file(), R"({"profiles": {"home": {"db": "~/mine.db"}}})");
  ASSERT_TRUE(QuietlySucceeded(run({"--profile", "home", "-q", "add", "hal"}, {}, config_env())));
  EXPECT_EQ(names_in(home_dir() / "mine.db"), std::vector<std::string>{"hal"});
}

TEST_F(ProfileTest, CompletionOffersProfileNames) {
  write_profiles();
  EXPECT_EQ(run({"__complete", "profiles", "st"}, {}, config_env()).out, "staging\n");
  EXPECT_EQ(run({"__complete", "profiles"}, {}, config_env()).out, "prod\nstaging\n");
}

}  // namespace
}  // namespace usersctl::e2e
