#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "output/terminal.hpp"

namespace usersctl::output {
namespace {

TEST(IsTerminal, FalseForAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(is_terminal(fds[0]));
  EXPECT_FALSE(is_terminal(fds[1]));
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(IsTerminal, FalseForAFileAndForAClosedDescriptor) {
  const int fd = ::open("/dev/null", O_WRONLY);
  ASSERT_GE(fd, 0);
  EXPECT_FALSE(is_terminal(fd));
  ::close(fd);
  EXPECT_FALSE(is_terminal(fd));
}

TEST(IsTerminal, TrueForAPseudoTerminal) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) GTEST_SKIP() << "no pseudo-terminals available";
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const int replica = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(replica, 0);
  EXPECT_TRUE(is_terminal(replica));
  ::close(replica);
  ::close(master);
}

TEST(TableWidth, ColumnsWinsEvenForAPipeAndNothingLimitsAPipeWithoutIt) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::setenv("COLUMNS", "72", 1);
  EXPECT_EQ(table_width(fds[1]), 72u);
  for (const char* bad : {"0", "-5", "wide", ""}) {
    ::setenv("COLUMNS", bad, 1);
    EXPECT_EQ(table_width(fds[1]), 0u) << bad;
  }
  ::unsetenv("COLUMNS");
  EXPECT_EQ(table_width(fds[1]), 0u);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace usersctl::output
