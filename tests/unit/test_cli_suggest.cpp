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

TEST(Suggest, ASwapOfNeighboursIsOneEdit) {
  // In the order `group --help` lists them: "set" comes before "list", and is as far from "lsit"
  // by plain edits (two); the swap makes "list" one edit away.
  const std::vector<std::string> group = {"create", "delete", "rename", "add",
                                          "remove", "set",    "list",   "show"};
  EXPECT_EQ(closest_match("lsit", group).value(), "list");
  EXPECT_EQ(closest_match("sohw", group).value(), "show");
  EXPECT_EQ(closest_match("stauts", {"list", "tail", "deliver", "redeliver", "status"}).value(), "status");
  EXPECT_EQ(closest_match("hlep", {"health", "help", "hook"}).value(), "help");
}
