// Secrets (issue 9): a password given on stdin never shows in the process's command line or
// environment, on stdout or stderr, in events, webhook bodies, exec hook input or the database file
// (only its hash is stored); database files are private under any umask; webhook secrets are never
// printed once `hook add` has taken them.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "crash_harness.hpp"
#include "e2e_fixture.hpp"
#include "hook_queries.hpp"
#include "test_files.hpp"
#include "webhook_receiver_process.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kCanary = "Canary-9f31c7-Pa55w0rd";
const std::string kOtherCanary = "Canary-2b8e04-Changed";
// The Standard Webhooks example key; the canary test looks for it and for its base64 body alone.
const std::string kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSecretBody = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

::testing::AssertionResult Lacks(const std::string& where, const std::string& text,
                                 const std::string& secret) {
  if (text.find(secret) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the secret appears in " << where << ":\n" << text.substr(0, 2000);
}

// /proc/PID/<what> with its NUL separators as spaces.
std::string proc_text(pid_t pid, const std::string& what) {
  std::string text = read_file("/proc/" + std::to_string(pid) + "/" + what);
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text;
}

// The child is blocked reading stdin: sleeping in read(2) on fd 0 (its argv and environment are
// final by then).
bool waiting_on_stdin(pid_t pid) {
#if defined(__x86_64__)
  constexpr const char* kReadFromStdin = "0 0x0 ";  // syscall 0 (read), first argument fd 0
#elif defined(__aarch64__)
  constexpr const char* kReadFromStdin = "63 0x0 ";
#endif
  const std::string syscall = read_file("/proc/" + std::to_string(pid) + "/syscall");
  return syscall.rfind(kReadFromStdin, 0) == 0;
}

class SecretsTest : public E2eTest {
 protected:
  ChildSpec usersctl_spec(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_url()});
    return ChildSpec{usersctl_binary(), std::move(args), env(), {}};
  }

  // Everything a reader can get out of the database through usersctl.
  std::string everything_readable() const {
    std::string all;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"list", "-o", "json"},
                                                 {"show", "bob", "-o", "json"},
                                                 {"export"},
                                                 {"export", "--format", "csv"},
                                                 {"export", "--format", "passwd"},
                                                 {"events", "list"},
                                                 {"events", "tail"},
                                                 {"events", "status", "-o", "json"},
                                                 {"search", "bob"},
                                                 {"health", "-o", "json"},
                                                 {"hook", "list", "-o", "json"}}) {
      const RunResult r = cli(args);
      EXPECT_TRUE(Succeeded(r)) << args[0];
      all += r.out + r.err;
    }
    return all;
  }
};
USERSCTL_E2E_INSTANTIATE(SecretsTest);

TEST_P(SecretsTest, PasswordFromStdinNeverLeaks) {
  WebhookReceiver receiver(temp_dir(), "receiver", kWebhookSecret);
  ASSERT_TRUE(receiver.listening());
  const fs::path secret_file = temp_dir() / "secret";
  std::ofstream(secret_file) << kWebhookSecret << "\n";
  ASSERT_TRUE(MutationSucceeded(
      cli({"hook", "add", "--url", receiver.url("/ok"), "--secret-file", secret_file.string()})));
  const fs::path exec_log = temp_dir() / "exec-hook.jsonl";
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--exec", "cat >>" + shell_quote(exec_log.string())})));

  // The password is typed while the process runs: look at it from outside before and after it has
  // the password in memory, then let it finish.
  ChildProcess add(
      usersctl_spec({"add", "bob", "--email", "bob@example.com", "--password-stdin", "--events"}),
      StdinMode::Pipe);
  ASSERT_TRUE(add.started());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!waiting_on_stdin(add.pid()) && !add.exited() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(waiting_on_stdin(add.pid())) << "usersctl never waited for the password";
  add.write_stdin(kCanary);  // no line end yet: it has the bytes and keeps waiting for the rest
  std::this_thread::sleep_for(50ms);
  ASSERT_FALSE(add.exited());
  EXPECT_TRUE(Lacks("/proc/PID/cmdline", proc_text(add.pid(), "cmdline"), kCanary));
  EXPECT_TRUE(Lacks("/proc/PID/environ", proc_text(add.pid(), "environ"), kCanary));
  add.write_stdin("\n");
  const RunResult added = add.wait();
  ASSERT_EQ(added.exit_code, 0) << added;
  EXPECT_TRUE(Lacks("stdout of add --events", added.out, kCanary));
  EXPECT_TRUE(Lacks("stderr of add", added.err, kCanary));

  // Changing and checking it leaks no more than setting it.
  const RunResult changed = cli({"passwd", "bob", "--password-stdin", "--events"}, kOtherCanary + "\n");
  ASSERT_EQ(changed.exit_code, 0) << changed;
  const RunResult checked = cli({"check-password", "bob", "--password-stdin"}, kOtherCanary + "\n");
  EXPECT_EQ(checked.exit_code, 0) << checked;
  const RunResult wrong = cli({"check-password", "bob", "--password-stdin"}, kCanary + "\n");
  EXPECT_EQ(wrong.exit_code, 1) << wrong;
  for (const auto& [what, r] : {std::pair{"passwd", changed}, std::pair{"check-password", checked},
                                std::pair{"check-password (wrong)", wrong}}) {
    for (const auto& canary : {kCanary, kOtherCanary}) {
      EXPECT_TRUE(Lacks(std::string(what) + " output", r.out + r.err, canary));
    }
  }

  // Deliveries: the webhook got the events (signed), the exec hook too; neither carries a password.
  ASSERT_TRUE(Succeeded(cli({"events", "deliver", "--now"})));
  const auto requests = receiver.wait_for_requests(2);
  ASSERT_GE(requests.size(), 2u) << receiver.stderr_text();
  const std::string readable = everything_readable();
  for (const auto& canary : {kCanary, kOtherCanary}) {
    for (const auto& request : requests) EXPECT_TRUE(Lacks("a webhook request", request.dump(), canary));
    EXPECT_TRUE(Lacks("the exec hook's input", read_file(exec_log), canary));
    EXPECT_TRUE(Lacks("what usersctl shows", readable, canary));
  }
  EXPECT_NE(read_file(exec_log).find("user.created"), std::string::npos) << "the exec hook got nothing";

  if (backend() == "sqlite") {
    // Only the yescrypt hash is stored; no byte of the database or its WAL holds the password.
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const fs::path file = db_path().string() + suffix;
      if (!fs::exists(file)) continue;
      for (const auto& canary : {kCanary, kOtherCanary}) {
        EXPECT_TRUE(Lacks(file.filename().string(), read_file(file), canary));
      }
    }
    EXPECT_NE(read_file(db_path()).find("$y$"), std::string::npos) << "no yescrypt hash stored";
  }
}

TEST_P(SecretsTest, WebhookSecretIsNeverPrintedAfterHookAdd) {
  WebhookReceiver receiver(temp_dir(), "receiver", kWebhookSecret);
  ASSERT_TRUE(receiver.listening());
  const fs::path secret_file = temp_dir() / "secret";
  std::ofstream(secret_file) << kWebhookSecret << "\n";
  const RunResult added =
      cli({"hook", "add", "--url", receiver.url("/ok"), "--secret-file", secret_file.string(), "--events"});
  ASSERT_EQ(added.exit_code, 0) << added;
  // A URL's own credentials are redacted too.
  ASSERT_TRUE(
      MutationSucceeded(cli({"hook", "add", "--url", "http://user:" + kSecretBody + "@127.0.0.1:9/x"})));
  // A secret that is refused is not echoed in the error either.
  const fs::path bad_secret = temp_dir() / "bad-secret";
  std::ofstream(bad_secret) << "whsec_" << kSecretBody << "!!\n";
  const RunResult refused =
      cli({"hook", "add", "--url", receiver.url("/ok"), "--secret-file", bad_secret.string()});
  EXPECT_TRUE(Failed(refused, 5));

  add_user("bob");
  const RunResult tested = cli({"hook", "test", "1"});
  EXPECT_EQ(tested.exit_code, 0) << tested;
  const auto requests = receiver.wait_for_requests(2);
  ASSERT_GE(requests.size(), 1u);
  for (auto request : requests) EXPECT_EQ(request["signature_ok"], true) << request.dump();

  std::string printed = added.out + added.err + refused.out + refused.err + tested.out + tested.err;
  for (const char* format : {"table", "json", "jsonl", "csv", "tsv"}) {
    const RunResult r = cli({"hook", "list", "-o", format});
    EXPECT_TRUE(Succeeded(r)) << format;
    printed += r.out + r.err;
  }
  printed += everything_readable();
  EXPECT_TRUE(Lacks("usersctl's output", printed, kSecretBody));
  for (const auto& request : requests) EXPECT_TRUE(Lacks("a webhook request", request.dump(), kSecretBody));
}

// Issue 20: a webhook URL's credentials (user:password@, a token in the query) are masked in every
// message that names the hook, not only in `hook list`: the warning after a change, `events
// deliver`, `hook test`, `events status` and a refused `hook add`.
TEST_P(SecretsTest, WebhookUrlCredentialsAreMaskedInEveryMessage) {
  const std::string password = "Pw-" + kSecretBody;
  const std::string token = "Tok-7c1d94e2";
  const std::string url = "http://bot:" + password + "@127.0.0.1:" + std::to_string(unused_port()) +
                          "/in?token=" + token + "&v=1";
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--url", url})));
  std::string printed;
  const RunResult added = cli({"add", "bob"});
  ASSERT_EQ(added.exit_code, 0) << added;
  EXPECT_NE(added.err.find("bot:***@127.0.0.1"), std::string::npos) << added;  // it did warn
  printed += added.out + added.err;
  const RunResult delivered = cli({"events", "deliver", "--now"});
  printed += delivered.out + delivered.err;
  const RunResult tested = cli({"hook", "test", "1"});
  EXPECT_EQ(tested.exit_code, 7) << tested;
  printed += tested.out + tested.err;
  for (const char* command : {"show", "list"}) {
    const RunResult r =
        command == std::string("show") ? cli({"hook", "show", "1", "-o", "json"}) : cli({"hook", "list"});
    printed += r.out + r.err;
  }
  const RunResult refused = cli({"hook", "add", "--url", "ftp://bot:" + password + "@h/x"});
  EXPECT_TRUE(Failed(refused, 5));
  printed += refused.out + refused.err + everything_readable();
  EXPECT_TRUE(Lacks("usersctl's output", printed, password));
  EXPECT_TRUE(Lacks("usersctl's output", printed, token));
}

// Issue 20: a process that holds a plaintext password is not dumpable (no core dump, no ptrace by
// its user), which shows as its /proc/PID files owned by root (/proc/PID itself keeps the process's
// uid: the kernel leaves world-readable directories out). Root owns what it starts anyway, so as
// root the child runs as nobody (it reads the password before it opens the database), and only the
// usersctl it execs counts: setpriv, before it drops to nobody, is root's too.
TEST_P(SecretsTest, AProcessReadingAPasswordIsNotDumpable) {
  add_user("bob");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"passwd", "bob", "--password-stdin"},
                                               {"add", "carol", "--password-stdin"},
                                               {"check-password", "bob", "--password-stdin"}}) {
    ChildSpec spec = usersctl_spec(args);
    spec.env["HOME"] = "/nonexistent";  // nobody cannot look for a config in the sandbox
    if (::geteuid() == 0) {
      spec.args.insert(spec.args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", spec.program});
      spec.program = "/usr/bin/setpriv";
    }
    ChildProcess child(spec, StdinMode::Pipe);
    ASSERT_TRUE(child.started());
    const std::string proc = "/proc/" + std::to_string(child.pid());
    const auto owner = [&] {
      if (::geteuid() == 0) {
        std::error_code error;
        const auto exe = std::filesystem::read_symlink(proc + "/exe", error);
        if (error || exe.filename() != "usersctl") return static_cast<uid_t>(-1);
      }
      struct stat st {};
      return ::stat((proc + "/environ").c_str(), &st) == 0 ? st.st_uid : static_cast<uid_t>(-1);
    };
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (owner() != 0 && !child.exited() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(2ms);
    EXPECT_EQ(owner(), 0u) << args[0] << ": still dumpable while it waits for the password";
    EXPECT_FALSE(child.exited()) << args[0] << " did not wait for the password";
    child.kill();
  }
}

// ---- Database file modes (SQLite) ----

class SqliteSecretsTest : public SqliteE2eTest {};

// Under umask 022 the database and the -wal and -shm files SQLite creates beside it are 0600. A
// follower (`events tail --follow`) keeps the database open, so -wal and -shm stay while we look.
TEST_F(SqliteSecretsTest, DatabaseWalAndShmArePrivateUnderUmask022) {
  const ScopedUmask umask(022);
  add_user("alice");
  ChildProcess follower(
      ChildSpec{usersctl_binary(), {"--db", db_url(), "events", "tail", "--follow"}, env(), {}},
      StdinMode::Pipe);
  ASSERT_TRUE(follower.started());
  const fs::path wal = db_path().string() + "-wal";
  const fs::path shm = db_path().string() + "-shm";
  add_user("bob");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!(fs::exists(wal) && fs::exists(shm)) && std::chrono::steady_clock::now() < deadline) {
    add_user("carol" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000));
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(fs::exists(wal) && fs::exists(shm)) << "no -wal/-shm while a reader holds the database";
  EXPECT_EQ(mode_of(db_path()), 0600u);
  EXPECT_EQ(mode_of(wal), 0600u);
  EXPECT_EQ(mode_of(shm), 0600u);
  follower.kill();
  const RunResult followed = follower.wait();
  EXPECT_NE(followed.out.find("user.created"), std::string::npos) << followed;
}

}  // namespace
}  // namespace usersctl::e2e
