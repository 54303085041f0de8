#include <gtest/gtest.h>

#include <sstream>

#include "core/group_file.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

TEST(GroupFile, ReadsNameGidAndMembers) {
  std::istringstream in("root:x:0:\n# comment\n\ndevs:x:2000:alice,bob\n");
  const auto groups = read_group_file(in, "group");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "root");
  EXPECT_TRUE(groups[0].members.empty());
  EXPECT_EQ(groups[1].line, 4u);
  EXPECT_EQ(groups[1].gid, 2000);
  EXPECT_EQ(groups[1].members, (std::vector<std::string>{"alice", "bob"}));
}

TEST(GroupFile, MalformedLinesNameTheirLine) {
  std::istringstream three_fields("ok:x:1:\nbad:x:2\n");
  try {
    read_group_file(three_fields, "group");
    FAIL();
  } catch (const LineError& error) {
    EXPECT_EQ(error.line, 2u);
  }
  std::istringstream gid("g:x:abc:\n");
  EXPECT_THROW(read_group_file(gid, "group"), LineError);
}

}  // namespace
}  // namespace usersctl::core
