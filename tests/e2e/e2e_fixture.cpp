#include "e2e_fixture.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <system_error>

#include "test_files.hpp"

namespace usersctl::e2e {

std::vector<std::string> e2e_backends() {
  std::vector<std::string> backends{"sqlite"};
  // In CI the PostgreSQL half never goes missing quietly: without a cluster its tests are still
  // instantiated, and fail in set_up_sandbox().
  const char* ci = std::getenv("CI");
  if (std::getenv("USERSCTL_TEST_PG_URL") != nullptr || (ci != nullptr && std::string(ci) == "true")) {
    backends.push_back("postgresql");
  }
  return backends;
}

std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

int heavy_repetitions(int n) {
  const char* sanitized = std::getenv("USERSCTL_E2E_SANITIZED");
  const bool scale_down = sanitized != nullptr && std::string_view(sanitized) == "1";
  return scale_down ? std::max(1, n / 5) : n;
}

// ---- E2eSandbox ----

std::string E2eSandbox::temp_file(const std::string& name, const std::string& content) const {
  const std::filesystem::path path = temp_dir_ / name;
  write_file(path, content);
  return path.string();
}

void E2eSandbox::set_up_sandbox(const std::string& backend) {
  backend_ = backend;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp == '/' ? tmp : "/tmp") + "/usersctl-e2e-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
  temp_dir_ = pattern;
  home_dir_ = temp_dir_ / "home";
  std::filesystem::create_directories(home_dir_);

  env_ = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", home_dir_.string()},
      {"USER", "tester"},
      {"LOGNAME", "tester"},
      {"LANG", "C.UTF-8"},
      {"TZ", "UTC"},
  };
  for (const char* passthrough : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(passthrough)) env_[passthrough] = value;
  }

  if (backend_ == "sqlite") {
    db_path_ = temp_dir_ / "users.db";
    db_url_ = db_path_.string();
  } else if (backend_ == "postgresql") {
    const char* url = std::getenv("USERSCTL_TEST_PG_URL");
    ASSERT_NE(url, nullptr) << "USERSCTL_TEST_PG_URL is not set (scripts/test starts a cluster and sets it)";
    try {
      pg_database_ = std::make_unique<ScratchDatabase>(url);
    } catch (const std::exception& e) {
      FAIL() << "cannot create a test database: " << e.what();
    }
    db_url_ = pg_database_->url();
  } else {
    FAIL() << "unknown backend " << backend_;
  }
}

void E2eSandbox::tear_down_sandbox() {
  pg_database_.reset();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

RunResult E2eSandbox::cli(std::vector<std::string> args, std::string stdin_data) const {
  args.insert(args.begin(), {"--db", db_url_});
  return run(std::move(args), std::move(stdin_data));
}

RunResult E2eSandbox::run(std::vector<std::string> args, std::string stdin_data,
                          const Environment& extra_env) const {
  RunOptions options;
  options.stdin_data = std::move(stdin_data);
  options.replace_env = env_;
  options.extra_env = extra_env;
  return run_cli(args, options);
}

RunResult E2eSandbox::cli_on_terminal(std::vector<std::string> args) const {
  RunOptions options;
  options.stdout_is_terminal = true;
  return cli_with(std::move(args), std::move(options));
}

RunResult E2eSandbox::cli_with(std::vector<std::string> args, RunOptions options) const {
  args.insert(args.begin(), {"--db", db_url_});
  Environment env = env_;
  for (const auto& [key, value] : options.extra_env) env[key] = value;
  options.replace_env = std::move(env);
  options.extra_env.clear();
  return run_cli(args, options);
}

void E2eSandbox::add_user(const std::string& username, std::vector<std::string> extra) const {
  extra.insert(extra.begin(), {"add", username});
  const RunResult r = cli(extra);
  EXPECT_EQ(r.exit_code, 0) << "arranging: usersctl add " << username << "\n" << r;
}

void E2eSandbox::add_group(const std::string& name, std::vector<std::string> extra) const {
  extra.insert(extra.begin(), {"group", "create", name});
  const RunResult r = cli(extra);
  EXPECT_EQ(r.exit_code, 0) << "arranging: usersctl group create " << name << "\n" << r;
}

json E2eSandbox::show_user(const std::string& username) const {
  const RunResult r = cli({"show", username});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "usersctl show " << username << "\n" << r;
    return json();
  }
  return parse_json(r.out);
}

json E2eSandbox::show_group(const std::string& name) const {
  const RunResult r = cli({"group", "show", name});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "usersctl group show " << name << "\n" << r;
    return json();
  }
  return parse_json(r.out);
}

std::vector<json> E2eSandbox::list_users(std::vector<std::string> extra) const {
  extra.insert(extra.begin(), "list");
  const RunResult r = cli(extra);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "usersctl list\n" << r;
    return {};
  }
  return parse_jsonl(r.out);
}

std::vector<std::string> E2eSandbox::list_usernames(std::vector<std::string> extra) const {
  std::vector<std::string> names;
  for (const json& user : list_users(std::move(extra))) {
    if (user.contains("username") && user["username"].is_string()) {
      names.push_back(user["username"].get<std::string>());
    } else {
      ADD_FAILURE() << "list record without a username: " << user.dump();
    }
  }
  return names;
}

std::vector<json> E2eSandbox::list_groups(std::vector<std::string> extra) const {
  extra.insert(extra.begin(), {"group", "list"});
  const RunResult r = cli(extra);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "usersctl group list\n" << r;
    return {};
  }
  return parse_jsonl(r.out);
}

// ---- Assertions ----

::testing::AssertionResult Succeeded(const RunResult& r) {
  if (r.exit_code != 0) return ::testing::AssertionFailure() << "expected exit 0; got " << r;
  if (r.err.find("usersctl: error") != std::string::npos) {
    return ::testing::AssertionFailure() << "exit 0 but an error on stderr; " << r;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult MutationSucceeded(const RunResult& r, std::size_t confirmations) {
  if (r.exit_code != 0) return ::testing::AssertionFailure() << "expected exit 0; got " << r;
  if (!r.out.empty())
    return ::testing::AssertionFailure() << "a mutation must print nothing on stdout; " << r;
  const auto lines = split_lines(r.err);
  if (lines.size() != confirmations || r.err.empty() || r.err.back() != '\n') {
    return ::testing::AssertionFailure()
           << "expected " << confirmations << " confirmation line(s) on stderr; " << r;
  }
  for (const std::string& line : lines) {
    if (line.empty() || line.find("error") != std::string::npos) {
      return ::testing::AssertionFailure() << "confirmation line is empty or looks like an error; " << r;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult QuietlySucceeded(const RunResult& r) {
  if (r.exit_code != 0 || !r.out.empty() || !r.err.empty()) {
    return ::testing::AssertionFailure() << "expected exit 0 and no output at all (-q); got " << r;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Failed(const RunResult& r, int exit_code, std::string_view mentions) {
  if (r.exit_code != exit_code) {
    return ::testing::AssertionFailure() << "expected exit " << exit_code << "; got " << r;
  }
  if (!r.out.empty()) return ::testing::AssertionFailure() << "stdout must stay empty on error; " << r;
  const auto lines = split_lines(r.err);
  if (lines.empty() || lines.size() > 2 || r.err.back() != '\n') {
    return ::testing::AssertionFailure() << "expected one error line (plus an optional hint); " << r;
  }
  if (lines[0].rfind("usersctl: error: ", 0) != 0 ||
      lines[0].size() <= std::string_view("usersctl: error: ").size()) {
    return ::testing::AssertionFailure() << "the error line must start with 'usersctl: error: '; " << r;
  }
  if (lines.size() == 2 && lines[1].find("hint") == std::string::npos) {
    return ::testing::AssertionFailure() << "a second stderr line may only be a hint; " << r;
  }
  if (!mentions.empty() && r.err.find(mentions) == std::string::npos) {
    return ::testing::AssertionFailure() << "the error should mention '" << mentions << "'; " << r;
  }
  return ::testing::AssertionSuccess();
}

// ---- Parsing ----

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

json parse_json(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "not one JSON document (" << e.what() << "):\n" << text;
    return json();
  }
}

std::vector<json> parse_jsonl(const std::string& text) {
  std::vector<json> records;
  if (!text.empty() && text.back() != '\n')
    ADD_FAILURE() << "JSONL output must end with a newline:\n" << text;
  for (const std::string& line : split_lines(text)) {
    try {
      records.push_back(json::parse(line));
      if (!records.back().is_object()) ADD_FAILURE() << "JSONL line is not an object: " << line;
    } catch (const json::exception& e) {
      ADD_FAILURE() << "JSONL line is not JSON (" << e.what() << "): " << line;
    }
  }
  return records;
}

std::vector<std::vector<std::string>> parse_delimited(const std::string& text, char separator) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool in_quotes = false;
  bool row_has_content = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      row_has_content = true;
    } else if (c == separator) {
      row.push_back(std::move(cell));
      cell.clear();
      row_has_content = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF line end: handled at the '\n'
    } else if (c == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      row_has_content = false;
    } else {
      cell += c;
      row_has_content = true;
    }
  }
  if (in_quotes) ADD_FAILURE() << "unterminated quoted cell in:\n" << text;
  if (row_has_content || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_rfc3339_utc(const std::string& text) {
  static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$)");
  return std::regex_match(text, pattern);
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace usersctl::e2e
