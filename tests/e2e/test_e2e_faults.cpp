// Faults from outside (issue 9): a full filesystem, a read-only database, a write lock held past the
// busy timeout. Each gives one clear error line and exit 6 ("database unavailable"), never a hang,
// and leaves the database as it was.
//
// Full filesystem: a small tmpfs mounted in a private mount namespace (unshare) when the machine
// allows one; always also RLIMIT_FSIZE (prlimit --fsize, SIGXFSZ ignored), which needs no privilege.
// Read-only: a read-only bind mount in a private mount namespace when allowed; always also file
// modes, with the child dropped to an unprivileged uid when the tests run as root (root ignores
// modes, so chmod alone would prove nothing).

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "sqlite_probe.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

// How `unshare` can give a child a private mount namespace here: as root with CAP_SYS_ADMIN, or in
// a user namespace. Empty when neither works (then the tmpfs and bind-mount variants fall back);
// USERSCTL_E2E_NO_NAMESPACES=1 forces the fallbacks, to test them on a machine that has both.
std::vector<std::string> private_mount_namespace() {
  static const std::vector<std::string> how = [] {
    if (const char* off = std::getenv("USERSCTL_E2E_NO_NAMESPACES"); off != nullptr && *off == '1') {
      return std::vector<std::string>{};
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp != nullptr && *tmp == '/' ? tmp : "/tmp") + "/usersctl-probe-XXXXXX";
    if (::mkdtemp(dir.data()) == nullptr) return std::vector<std::string>{};
    std::vector<std::string> found;
    for (std::vector<std::string> args :
         {std::vector<std::string>{"--mount", "--propagation", "private"},
          std::vector<std::string>{"--mount", "--propagation", "private", "--map-root-user"}}) {
      std::vector<std::string> probe = args;
      probe.insert(probe.end(), {"/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir});
      if (run_process("/usr/bin/unshare", probe).exit_code == 0) {
        found = args;
        break;
      }
    }
    ::rmdir(dir.c_str());
    return found;
  }();
  return how;
}

// An attribute value just under the 64 KiB limit: one write of it needs many pages.
const std::string& big_value() {
  static const std::string value(60 * 1024, 'x');
  return value;
}

class FaultTest : public SqliteE2eTest {
 protected:
  void SetUp() override {
    SqliteE2eTest::SetUp();
    add_user("alice", {"--email", "alice@example.com", "--attr", "team=ops"});
    add_group("devs");
    ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "devs", "alice"})));
    before_ = export_all(db_path());
  }

  std::string export_all(const fs::path& db) const {
    const RunResult r = run({"--db", db.string(), "export"});
    EXPECT_TRUE(Succeeded(r));
    return r.out;
  }

  // The database at `db` is sound and holds what SetUp wrote, and nothing else.
  void expect_intact(const fs::path& db) const {
    EXPECT_EQ(integrity_check(db), "ok");
    EXPECT_EQ(export_all(db), before_);
    EXPECT_EQ(query_rows(db, "SELECT count(*) FROM events"), std::vector<std::string>{"3"});
  }

  // Runs `WRAPPER... /bin/sh -c SCRIPT sh ARGS...` (the script sees ARGS as $1...) with env().
  RunResult shell(const std::string& script, std::vector<std::string> args,
                  std::vector<std::string> wrapper = {}) const {
    RunOptions options;
    options.replace_env = env();
    options.timeout = std::chrono::seconds(60);
    std::vector<std::string> argv = wrapper;
    argv.insert(argv.end(), {"/bin/sh", "-c", script, "sh"});
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string program = argv.front();
    argv.erase(argv.begin());
    return run_process(program, argv, options);
  }

  // The database file and its folder lose their write permission (and the child runs as nobody
  // when we are root); a write must fail with exit 6 and leave the file byte for byte as it was.
  // The folder is made under /tmp, not in temp_dir(): nobody must be able to reach it, whatever
  // modes the folders above temp_dir() have (scripts/test's work folder is 0700).
  void expect_read_only_file_refused() const {
    std::string made = "/tmp/usersctl-ro-XXXXXX";
    ASSERT_NE(::mkdtemp(made.data()), nullptr);
    const fs::path dir = made;
    const fs::path db = dir / "users.db";
    fs::copy_file(db_path(), db);
    const std::string bytes = read_file(db);
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

    std::vector<std::string> argv;
    if (::geteuid() == 0)
      argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
    argv.insert(argv.end(), {usersctl_binary(), "--db", db.string(), "add", "bob"});
    RunOptions options;
    options.replace_env = env();
    options.replace_env->at("HOME") = dir.string();  // reachable for nobody; holds no config
    options.timeout = std::chrono::seconds(30);
    const std::string program = argv.front();
    argv.erase(argv.begin());
    const RunResult r = run_process(program, argv, options);
    EXPECT_TRUE(Failed(r, 6));
    EXPECT_EQ(read_file(db), bytes) << "a read-only database file changed";
    EXPECT_FALSE(fs::exists(dir / "users.db-wal"));
    fs::permissions(dir, fs::perms::owner_all);
    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
    expect_intact(db);
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::string before_;
};

// ---- Full filesystem ----

// A write larger than what the file size limit allows fails with EFBIG (SIGXFSZ ignored, as a
// shell's `trap '' XFSZ` leaves it); the commit never happens.
TEST_F(FaultTest, FileSizeLimitMidTransactionIsUnavailableAndChangesNothing) {
  const RunResult r =
      shell("trap '' XFSZ; exec /usr/bin/prlimit --fsize=65536 -- \"$@\"",
            {usersctl_binary(), "--db", db_url(), "add", "bob", "--attr", "big=" + big_value()});
  EXPECT_TRUE(Failed(r, 6));
  expect_intact(db_path());
  // Without the limit the same command works: the failure was the limit's doing.
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob", "--attr", "big=" + big_value()})));
  EXPECT_EQ(integrity_check(db_path()), "ok");
}

// A really full filesystem (ENOSPC): a 1 MiB tmpfs, the database copied in, the rest filled up but
// for 64 KiB. The failing add and the checks of what it left run inside the namespace; the files
// are copied out afterwards for the checks below.
TEST_F(FaultTest, FullFilesystemIsUnavailableAndChangesNothing) {
  const std::vector<std::string> unshare = private_mount_namespace();
  const fs::path mnt = temp_dir() / "small-fs";
  const fs::path out = temp_dir() / "copied-out";
  fs::create_directories(mnt);
  fs::create_directories(out);
  if (unshare.empty()) {
    // No mount namespace here: the RLIMIT_FSIZE test above covers the same path (EFBIG instead of
    // ENOSPC); say so loudly instead of skipping silently.
    std::cout << "[ note     ] no private mount namespace: full tmpfs replaced by RLIMIT_FSIZE\n";
    const RunResult r =
        shell("trap '' XFSZ; exec /usr/bin/prlimit --fsize=65536 -- \"$@\"",
              {usersctl_binary(), "--db", db_url(), "add", "bob", "--attr", "big=" + big_value()});
    EXPECT_TRUE(Failed(r, 6));
    expect_intact(db_path());
    return;
  }
  std::vector<std::string> wrapper{"/usr/bin/unshare"};
  wrapper.insert(wrapper.end(), unshare.begin(), unshare.end());
  const std::string script = R"(
    set -e
    mnt=$1 out=$2 db=$3 bin=$4 value=$5
    mount -t tmpfs -o size=1m,mode=0700 tmpfs "$mnt"
    cp "$db" "$mnt/users.db"
    dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
    truncate -s -64K "$mnt/filler"
    set +e
    "$bin" --db "$mnt/users.db" add bob --attr "big=$value" >"$out/stdout" 2>"$out/stderr"
    echo $? >"$out/rc"
    cp "$mnt"/users.db* "$out/"
  )";
  const RunResult r = shell(
      script, {mnt.string(), out.string(), db_path().string(), usersctl_binary(), big_value()}, wrapper);
  ASSERT_EQ(r.exit_code, 0) << r;
  RunResult failed;
  failed.exit_code = std::stoi(read_file(out / "rc"));
  failed.out = read_file(out / "stdout");
  failed.err = read_file(out / "stderr");
  EXPECT_TRUE(Failed(failed, 6));
  EXPECT_NE(failed.err.find("full"), std::string::npos) << "the error should say the disk is full\n"
                                                        << failed;
  expect_intact(out / "users.db");
}

// ---- Read-only database ----

TEST_F(FaultTest, ReadOnlyFileIsUnavailableAndChangesNothing) { expect_read_only_file_refused(); }

// The filesystem itself is read-only (root cannot write there either): a read-only bind mount in a
// private mount namespace.
TEST_F(FaultTest, ReadOnlyFilesystemIsUnavailableAndChangesNothing) {
  const std::vector<std::string> unshare = private_mount_namespace();
  if (unshare.empty()) {
    std::cout << "[ note     ] no private mount namespace: a read-only file instead of a read-only mount\n";
    expect_read_only_file_refused();
    return;
  }
  const std::string bytes = read_file(db_path());
  std::vector<std::string> wrapper{"/usr/bin/unshare"};
  wrapper.insert(wrapper.end(), unshare.begin(), unshare.end());
  const RunResult r = shell(
      "dir=$1; shift; mount --bind \"$dir\" \"$dir\" && mount -o remount,bind,ro \"$dir\" && exec \"$@\"",
      {temp_dir().string(), usersctl_binary(), "--db", db_url(), "add", "bob"}, wrapper);
  EXPECT_TRUE(Failed(r, 6));
  EXPECT_EQ(read_file(db_path()), bytes);
  expect_intact(db_path());
}

// ---- Locks ----

// A writer that cannot get the lock within USERSCTL_BUSY_TIMEOUT_MS exits 6 with a clear message,
// promptly; every kind of writer, not just add.
TEST_F(FaultTest, WritersGiveUpAfterTheBusyTimeoutWhileALockIsHeld) {
  env()["USERSCTL_BUSY_TIMEOUT_MS"] = "300";
  const WriteLockHolder lock(db_path());
  ASSERT_TRUE(lock.locked());
  const std::vector<std::vector<std::string>> writers = {
      {"add", "bob"},
      {"update", "alice", "--name", "Alice"},
      {"delete", "alice"},
      {"group", "create", "ops"},
      {"group", "remove", "devs", "alice"},
      {"hook", "add", "--exec", "cat >/dev/null"},
  };
  for (const auto& args : writers) {
    RunOptions options;
    options.timeout = std::chrono::seconds(10);  // a hang fails here instead of stalling the suite
    const auto started = std::chrono::steady_clock::now();
    const RunResult r = cli_with(args, options);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(r.timed_out) << args[0];
    EXPECT_TRUE(Failed(r, 6, "locked")) << args[0];
    EXPECT_LT(took, std::chrono::seconds(5)) << args[0] << " waited far past the busy timeout";
    EXPECT_GE(took, std::chrono::milliseconds(250)) << args[0] << " did not wait for the busy timeout";
  }
  // Readers still read (WAL) while the lock is held.
  const RunResult reader = cli({"show", "alice"});
  EXPECT_TRUE(Succeeded(reader));
}

TEST_F(FaultTest, NothingChangedByWritersThatTimedOut) {
  env()["USERSCTL_BUSY_TIMEOUT_MS"] = "200";
  {
    const WriteLockHolder lock(db_path());
    ASSERT_TRUE(lock.locked());
    EXPECT_TRUE(Failed(cli({"add", "bob"}), 6));
    EXPECT_TRUE(Failed(cli({"update", "alice", "--email", "new@example.com"}), 6));
  }
  expect_intact(db_path());
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob"}))) << "the lock is gone: writing works again";
}

}  // namespace
}  // namespace usersctl::e2e
