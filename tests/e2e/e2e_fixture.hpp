#pragma once
// The end-to-end fixture: every test gets its own temporary folder, database and a deterministic
// environment, and runs the built usersctl binary through cli_runner.
//
//   class AddTest : public usersctl::e2e::E2eTest {};
//   USERSCTL_E2E_INSTANTIATE(AddTest);
//   TEST_P(AddTest, Something) { auto r = cli({"add", "alice"}); EXPECT_TRUE(MutationSucceeded(r)); }
//
// E2eTest is parameterised by backend (see e2e_backends()); SqliteE2eTest is for the few tests that
// are about the SQLite file itself (modes, default path, PRAGMA user_version).

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli_runner.hpp"
#include "pg_test_database.hpp"

namespace usersctl::e2e {

using nlohmann::json;

// The backends every E2eTest runs against: "sqlite", and "postgresql" when USERSCTL_TEST_PG_URL
// is set (or CI=true, where a missing cluster must fail the PostgreSQL tests, not skip them).
std::vector<std::string> e2e_backends();
std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info);

// How many times the heaviest tests (many processes at once) repeat their step:
// `n`, or a fifth of it when USERSCTL_E2E_SANITIZED=1 (scripts/test --sanitize), where each
// process costs several times more. The behaviour checked is the same; the plain suite runs `n`.
int heavy_repetitions(int n);

// The sandbox one test runs in.
class E2eSandbox {
 public:
  void set_up_sandbox(const std::string& backend);
  void tear_down_sandbox();

  const std::string& backend() const { return backend_; }
  const std::filesystem::path& temp_dir() const { return temp_dir_; }
  const std::filesystem::path& home_dir() const { return home_dir_; }
  // What `--db` gets. For SQLite a plain path to a file in temp_dir() (created by the first command);
  // for PostgreSQL the URL of a database created for this test alone (dropped at teardown).
  const std::string& db_url() const { return db_url_; }
  const std::filesystem::path& db_path() const { return db_path_; }  // SQLite only

  // The environment every run gets: PATH, HOME=home_dir(), USER=tester, LANG=C.UTF-8, TZ=UTC (and
  // sanitizer options when set). No SUDO_USER, XDG_DATA_HOME or USERSCTL_DB. Tests may edit it.
  Environment& env() { return env_; }
  const Environment& env() const { return env_; }

  // Writes `content` to temp_dir()/name and returns its path (input files for import, apply, hooks).
  std::string temp_file(const std::string& name, const std::string& content) const;

  // usersctl --db <db_url()> ARGS...
  RunResult cli(std::vector<std::string> args, std::string stdin_data = {}) const;
  // usersctl ARGS... without --db, with env() + extra_env.
  RunResult run(std::vector<std::string> args, std::string stdin_data = {},
                const Environment& extra_env = {}) const;
  // usersctl --db <db_url()> ARGS... with stdout on a pseudo-terminal (as an admin at a shell sees it).
  RunResult cli_on_terminal(std::vector<std::string> args) const;
  // usersctl --db <db_url()> ARGS... with full control over the run (env() is the base environment).
  RunResult cli_with(std::vector<std::string> args, RunOptions options) const;

  // Conveniences for arranging a test. Each records a test failure (with the run's output) when
  // the command does not succeed, and returns what it parsed (null json on failure).
  void add_user(const std::string& username, std::vector<std::string> extra = {}) const;
  void add_group(const std::string& name, std::vector<std::string> extra = {}) const;
  json show_user(const std::string& username) const;
  json show_group(const std::string& name) const;
  // `list ARGS...` parsed from JSONL (the piped default).
  std::vector<json> list_users(std::vector<std::string> extra = {}) const;
  std::vector<std::string> list_usernames(std::vector<std::string> extra = {}) const;
  std::vector<json> list_groups(std::vector<std::string> extra = {}) const;

 private:
  std::string backend_;
  std::filesystem::path temp_dir_;
  std::filesystem::path home_dir_;
  std::filesystem::path db_path_;
  std::string db_url_;
  std::unique_ptr<ScratchDatabase> pg_database_;
  Environment env_;
};

class E2eTest : public ::testing::TestWithParam<std::string>, public E2eSandbox {
 protected:
  void SetUp() override { set_up_sandbox(GetParam()); }
  void TearDown() override { tear_down_sandbox(); }
};

class SqliteE2eTest : public ::testing::Test, public E2eSandbox {
 protected:
  void SetUp() override { set_up_sandbox("sqlite"); }
  void TearDown() override { tear_down_sandbox(); }
};

#define USERSCTL_E2E_INSTANTIATE(Suite)                                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::usersctl::e2e::e2e_backends()), \
                           ::usersctl::e2e::backend_test_name)

// ---- Assertions on a RunResult (use with EXPECT_TRUE / ASSERT_TRUE) ----

// Exit 0 and nothing that looks like an error on stderr.
::testing::AssertionResult Succeeded(const RunResult& r);
// A mutation's contract: exit 0, stdout empty, one confirmation line on stderr per record changed
// (`delete a b c` and `group add g a b` confirm each record).
::testing::AssertionResult MutationSucceeded(const RunResult& r, std::size_t confirmations = 1);
// A mutation with -q: exit 0, stdout and stderr empty.
::testing::AssertionResult QuietlySucceeded(const RunResult& r);
// An error's contract: the exit code, stdout empty, stderr = one line starting
// "usersctl: error: " (optionally followed by one hint line). When `mentions` is not empty the
// error text must contain it.
::testing::AssertionResult Failed(const RunResult& r, int exit_code, std::string_view mentions = {});

// ---- Parsing ----
// Note: operator[] on a *const* json with a missing key aborts (an assert in nlohmann::json); keep
// parsed records non-const, or use at()/value()/contains().

std::vector<std::string> split_lines(const std::string& text);  // without the trailing newline
// Records a test failure and returns null when `text` is not one JSON document.
json parse_json(const std::string& text);
// Records a test failure for any line that is not a JSON document.
std::vector<json> parse_jsonl(const std::string& text);
// Parses CSV (RFC 4180) or, with separator '\t', TSV into rows of cells.
std::vector<std::vector<std::string>> parse_delimited(const std::string& text, char separator);
// `text` as one word for /bin/sh: in single quotes, with any ' written as '\''.
std::string shell_quote(const std::string& text);
// True for "2026-11-22T10:00:00Z" or "2026-11-22T10:00:00.123Z".
bool is_rfc3339_utc(const std::string& text);

}  // namespace usersctl::e2e
