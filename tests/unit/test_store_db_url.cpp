#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "util/db_url.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::util;

TEST(DbUrl, ParsesPathsAndSchemes) {
  EXPECT_EQ(parse_db_url("/var/lib/u.db").target, "/var/lib/u.db");
  EXPECT_EQ(parse_db_url("rel/u.db").backend, Backend::Sqlite);
  EXPECT_EQ(parse_db_url("sqlite:/tmp/x.db").target, "/tmp/x.db");
  EXPECT_EQ(parse_db_url("sqlite:///tmp/x.db").target, "/tmp/x.db");
  EXPECT_EQ(parse_db_url("sqlite::memory:").target, ":memory:");
  EXPECT_EQ(parse_db_url("postgresql://u@h:5432/db").backend, Backend::Postgresql);
  EXPECT_THROW(parse_db_url(""), UsageError);
  EXPECT_THROW(parse_db_url("sqlite:"), UsageError);
  EXPECT_THROW(parse_db_url("mysql://x/y"), UsageError);
}

TEST(DbUrl, AcceptsBothPostgresqlSchemes) {
  EXPECT_EQ(parse_db_url("postgres://u@h/db").backend, Backend::Postgresql);
  EXPECT_EQ(parse_db_url("postgres://u@h/db?sslmode=require").target, "postgres://u@h/db?sslmode=require");
}

TEST(DbUrl, DefaultPathFollowsXdg) {
  ::setenv("XDG_DATA_HOME", "/xdg", 1);
  EXPECT_EQ(default_db_path(), "/xdg/usersctl/users.db");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/home/h", 1);
  EXPECT_EQ(default_db_path(), "/home/h/.local/share/usersctl/users.db");
}
