#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "events/exec_sink.hpp"

using namespace usersctl::events;
using namespace usersctl::model;
using namespace std::chrono_literals;

namespace {

class ExecSink : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "usersctl-exec-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::filesystem::path dir_;
};

}  // namespace

TEST_F(ExecSink, CommandReceivesExactlyTheJsonl) {
  const std::string jsonl =
      "{\"id\":\"1\",\"type\":\"user.created\",\"data\":{\"name\":\"Zoë\"}}\n"
      "{\"id\":\"2\",\"type\":\"user.deleted\"}\n";
  const auto file = dir_ / "received.jsonl";
  const DeliveryResult result = run_exec_hook("cat > '" + file.string() + "'", jsonl);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_EQ(read_file(file), jsonl);
}

TEST_F(ExecSink, LargeInputArrivesWhole) {
  std::string jsonl;
  while (jsonl.size() < (1u << 20)) jsonl += "{\"sequence\":\"" + std::to_string(jsonl.size()) + "\"}\n";
  const auto file = dir_ / "large.jsonl";
  const DeliveryResult result = run_exec_hook("cat > '" + file.string() + "'", jsonl);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_EQ(read_file(file), jsonl);
}

TEST_F(ExecSink, NonZeroExitIsRetry) {
  const DeliveryResult result = run_exec_hook("exit 3", "{}\n");
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "exit status 3");
  EXPECT_FALSE(result.retry_after_seconds.has_value());
}

TEST_F(ExecSink, MissingCommandIsRetryWithExitStatus127) {
  const DeliveryResult result = run_exec_hook("/nonexistent/usersctl-hook", "{}\n");
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "exit status 127 (command not found)");
}

TEST_F(ExecSink, KilledBySignalIsRetry) {
  const DeliveryResult result = run_exec_hook("kill -TERM $$", "{}\n");
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "killed by signal 15 (SIGTERM)");
}

TEST_F(ExecSink, TimeoutKillsTheCommandQuickly) {
  const auto start = std::chrono::steady_clock::now();
  const DeliveryResult result = run_exec_hook("sleep 5", "{}\n", 200ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "timed out after 200 ms");
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 2s);
}

TEST_F(ExecSink, TimeoutKillsWhatTheCommandStarted) {
  // The shell forks `sleep` (it is not the last command); killing only the shell would leave it.
  const auto marker = dir_ / "survived";
  const DeliveryResult result = run_exec_hook("sleep 1; touch '" + marker.string() + "'; true", "", 100ms);
  EXPECT_EQ(result.detail, "timed out after 100 ms");
  ::usleep(1'500'000);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(ExecSink, CommandThatIgnoresStdinDoesNotKillOrHangUs) {
  const std::string jsonl(1u << 20, 'x');
  const auto start = std::chrono::steady_clock::now();
  DeliveryResult result = run_exec_hook("true", jsonl);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  result = run_exec_hook("exec 0<&-; sleep 0.1; exit 4", jsonl);  // closes stdin before we are done
  EXPECT_EQ(result.detail, "exit status 4");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ExecSink, CommandStdoutDoesNotReachOurStdout) {
  // Our stdout carries data; what the command prints goes to our stderr.
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const DeliveryResult result = run_exec_hook("echo hook-says-hello; cat >/dev/null", "{}\n");
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_EQ(out.find("hook-says-hello"), std::string::npos);
  EXPECT_NE(err.find("hook-says-hello"), std::string::npos);
}

TEST_F(ExecSink, EmptyInputGivesImmediateEof) {
  const auto file = dir_ / "empty";
  const DeliveryResult result = run_exec_hook("wc -c > '" + file.string() + "'", "", 5s);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_EQ(std::stoi(read_file(file)), 0);
}

TEST_F(ExecSink, CommandInheritsNoDescriptorsButTheStandardOnes) {
#ifndef CLOSE_RANGE_CLOEXEC
  GTEST_SKIP() << "close_range(CLOSE_RANGE_CLOEXEC) is not available";
#endif
  // Deliberately without O_CLOEXEC, and high enough that ls's own descriptors cannot take its number.
  const int null_fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(null_fd, 0);
  const int leaky = ::fcntl(null_fd, F_DUPFD, 100);
  ::close(null_fd);
  ASSERT_GE(leaky, 100);
  const auto file = dir_ / "fds";
  const DeliveryResult result = run_exec_hook("ls /proc/self/fd > '" + file.string() + "'", "{}\n");
  ::close(leaky);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  std::istringstream listing(read_file(file));
  std::set<int> fds;
  for (int fd = 0; listing >> fd;) fds.insert(fd);
  EXPECT_TRUE(fds.count(0) && fds.count(1) && fds.count(2));
  EXPECT_EQ(fds.count(leaky), 0u);
  EXPECT_LE(fds.size(), 4u);  // 0, 1, 2 and ls's own handle on the directory
}
