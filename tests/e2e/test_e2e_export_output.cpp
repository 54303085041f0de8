// export --output FILE: a backup that is complete or absent. The export goes to a temporary file
// beside FILE, created 0600, renamed over FILE only on success; a failure midway leaves no FILE,
// or an existing one untouched, and no temporary file.

#include <filesystem>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"
#include "sqlite_probe.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

class ExportOutputTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    fs::create_directories(backups());
  }
  fs::path backups() const { return temp_dir() / "backups"; }
  std::vector<std::string> files_in_backups() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(backups())) names.push_back(entry.path().filename());
    return names;
  }
  // A home holding ':' cannot be a passwd line: rows written behind usersctl's back, so that the
  // export fails midway, after the users before "zed".
  void break_the_last_user() {
    add_user("zed");
    const std::string sql = "UPDATE users SET home = '/home/z:ed' WHERE username = 'zed'";
    if (backend() == "postgresql") {
      PgSession(db_url()).exec(sql);
    } else {
      query_rows(db_path(), sql);
    }
  }
};
USERSCTL_E2E_INSTANTIATE(ExportOutputTest);

TEST_P(ExportOutputTest, WritesThePrivateFileWithWhatStdoutWouldGet) {
  const ScopedUmask umask(022);
  add_user("alice", {"--email", "alice@example.com"});
  add_user("bob");
  const fs::path file = backups() / "users.jsonl";
  const RunResult r = cli({"export", "--output", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_file(file), cli({"export"}).out);
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(files_in_backups(), std::vector<std::string>{"users.jsonl"}) << "a temporary file is left";
  // Replacing an older backup.
  write_file(file, "old\n");
  ASSERT_EQ(cli({"export", "--format", "passwd", "--output", file.string()}).exit_code, 0);
  EXPECT_EQ(read_file(file), cli({"export", "--format", "passwd"}).out);
}

TEST_P(ExportOutputTest, FailureMidwayLeavesAnExistingFileUntouched) {
  add_user("alice");
  break_the_last_user();
  const fs::path file = backups() / "passwd.bak";
  write_file(file, "the previous, complete backup\n");
  const RunResult r = cli({"export", "--format", "passwd", "--output", file.string()});
  EXPECT_TRUE(Failed(r, 5, "zed")) << r;
  EXPECT_EQ(read_file(file), "the previous, complete backup\n");
  EXPECT_EQ(files_in_backups(), std::vector<std::string>{"passwd.bak"}) << "the temporary file is left";
  // Without --output the rows before the failure did reach stdout: only the exit code tells.
  const RunResult streamed = cli({"export", "--format", "passwd"});
  EXPECT_EQ(streamed.exit_code, 5) << streamed;
  EXPECT_EQ(streamed.out.rfind("alice:", 0), 0u) << streamed;
}

TEST_P(ExportOutputTest, FailureMidwayLeavesNoFile) {
  add_user("alice");
  break_the_last_user();
  const fs::path file = backups() / "passwd.bak";
  EXPECT_TRUE(Failed(cli({"export", "--format", "passwd", "--output", file.string()}), 5, "zed"));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(files_in_backups().empty());
}

TEST_P(ExportOutputTest, UnwritableFolderIsRefusedBeforeReading) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"export", "--output", (temp_dir() / "missing" / "u.jsonl").string()}), 6));
  EXPECT_FALSE(fs::exists(temp_dir() / "missing"));
}

}  // namespace
}  // namespace usersctl::e2e
