#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

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

TEST(DbUrl, RedactsPasswords) {
  EXPECT_EQ(redact_db_url("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redact_db_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_db_url("/path/with:colon@at.db"), "/path/with:colon@at.db");
}

TEST(DbUrl, AcceptsBothPostgresqlSchemes) {
  EXPECT_EQ(parse_db_url("postgres://u@h/db").backend, Backend::Postgresql);
  EXPECT_EQ(parse_db_url("postgres://u@h/db?sslmode=require").target, "postgres://u@h/db?sslmode=require");
}

TEST(DbUrl, RedactsPasswordQueryParameters) {
  EXPECT_EQ(redact_db_url("postgresql://u@h/db?password=secret"), "postgresql://u@h/db?password=***");
  EXPECT_EQ(redact_db_url("postgresql://u@h/db?sslmode=require&password=s3&application_name=x"),
            "postgresql://u@h/db?sslmode=require&password=***&application_name=x");
  EXPECT_EQ(redact_db_url("postgresql://u:one@h/db?password=two"), "postgresql://u:***@h/db?password=***");
  EXPECT_EQ(redact_db_url("postgresql:///db?host=/run/pg&password=p&password=q"),
            "postgresql:///db?host=/run/pg&password=***&password=***");
  // Only the parameter called exactly `password`, and not a fragment.
  EXPECT_EQ(redact_db_url("postgresql://h/db?passwordfile=x&mypassword=y"),
            "postgresql://h/db?passwordfile=x&mypassword=y");
  EXPECT_EQ(redact_db_url("postgresql://h/db?password=p#password=q"),
            "postgresql://h/db?password=***#password=q");
  EXPECT_EQ(redact_db_url("postgresql://u:p%40ss@h/db"), "postgresql://u:***@h/db");
}

TEST(DbUrl, SecretsAreThePasswordsAsWrittenAndDecoded) {
  EXPECT_EQ(db_url_secrets("postgresql://u@h/db"), std::vector<std::string>{});
  EXPECT_EQ(db_url_secrets("postgresql://u:p%40ss@h/db?password=two"),
            (std::vector<std::string>{"p%40ss", "p@ss", "two"}));
  EXPECT_EQ(db_url_secrets("/plain/path.db"), std::vector<std::string>{});
}

TEST(DbUrl, DefaultPathFollowsXdg) {
  ::setenv("XDG_DATA_HOME", "/xdg", 1);
  EXPECT_EQ(default_db_path(), "/xdg/usersctl/users.db");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/home/h", 1);
  EXPECT_EQ(default_db_path(), "/home/h/.local/share/usersctl/users.db");
}
