#include <gtest/gtest.h>

#include "cli/suggest.hpp"

using usersctl::cli::closest_match;

TEST(Suggest, FindsTypos) {
  const std::vector<std::string> commands = {"add", "update", "delete", "show", "list", "group", "health"};
  EXPECT_EQ(closest_match("lst", commands).value(), "list");
  EXPECT_EQ(closest_match("updte", commands).value(), "update");
  EXPECT_EQ(closest_match("grup", commands).value(), "group");
  EXPECT_EQ(closest_match("heal", commands).value(), "health");
  EXPECT_FALSE(closest_match("xyzzyplugh", commands).has_value());
}
