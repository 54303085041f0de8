// CallChannel with a reply descriptor: the worker writes a one-reply call's answer to the peer
// itself, once, and never after the connection gave the call up (its descriptor may be gone).

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "userdb/call_channel.hpp"

namespace usersctl::userdb {
namespace {

using Clock = std::chrono::steady_clock;

class UserdbCallChannel : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
  void TearDown() override {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  // What the peer received so far, without waiting.
  std::string received() {
    std::string out;
    char buffer[256];
    pollfd in{fds[1], POLLIN, 0};
    while (::poll(&in, 1, 0) > 0) {
      const ssize_t n = ::recv(fds[1], buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
  int fds[2] = {-1, -1};
};

TEST_F(UserdbCallChannel, TheWorkerSendsTheOneReplyItselfAndTheCallIsOver) {
  CallChannel channel(16, fds[0]);
  ASSERT_TRUE(channel.push(std::string("reply\0", 6)));
  EXPECT_EQ(received(), std::string("reply\0", 6));
  std::string message;
  EXPECT_EQ(channel.pop(message, Clock::now() + std::chrono::seconds(1)), CallChannel::Status::Closed);
  EXPECT_FALSE(channel.push("second"));  // one reply per call: a second would answer the next call
  EXPECT_EQ(received(), "");
}

TEST_F(UserdbCallChannel, NothingIsSentAfterTheDeadlinePassed) {
  CallChannel channel(16, fds[0]);
  std::string message;
  EXPECT_EQ(channel.pop(message, Clock::now() + std::chrono::milliseconds(10)),
            CallChannel::Status::TimedOut);
  EXPECT_FALSE(channel.push("late"));
  EXPECT_EQ(received(), "");
}

TEST_F(UserdbCallChannel, WithoutADescriptorRepliesGoThroughTheQueue) {
  CallChannel channel(16);
  ASSERT_TRUE(channel.push("one"));
  ASSERT_TRUE(channel.push("two"));
  channel.close();
  std::string message;
  ASSERT_EQ(channel.pop(message, Clock::now() + std::chrono::seconds(1)), CallChannel::Status::Message);
  EXPECT_EQ(message, "one");
  ASSERT_EQ(channel.pop(message, Clock::now() + std::chrono::seconds(1)), CallChannel::Status::Message);
  EXPECT_EQ(message, "two");
  EXPECT_EQ(channel.pop(message, Clock::now() + std::chrono::seconds(1)), CallChannel::Status::Closed);
  EXPECT_EQ(received(), "");
}

}  // namespace
}  // namespace usersctl::userdb
