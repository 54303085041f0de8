#include <gtest/gtest.h>

#include "core/user_fields.hpp"
#include "model/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;
using namespace usersctl::model;

TEST(UserFields, AttrPaths) {
  EXPECT_EQ(attr_key_of("attrs.team").value(), "team");
  EXPECT_FALSE(attr_key_of("username").has_value());
}

TEST(UserFields, FilterAndSortFields) {
  EXPECT_NO_THROW(check_filter_field("email"));
  EXPECT_NO_THROW(check_filter_field("attrs.location"));
  EXPECT_THROW(check_filter_field("password_hash"), UsageError);
  EXPECT_THROW(check_filter_field("attrs.bad key"), Invalid);
  EXPECT_NO_THROW(check_sort_field("created_at"));
  EXPECT_THROW(check_sort_field("attrs.team"), UsageError);
}

TEST(UserFields, TypedValues) {
  EXPECT_EQ(parse_id("1000", "uid"), 1000);
  EXPECT_THROW(parse_id("-1", "uid"), Invalid);
  EXPECT_THROW(parse_id("12x", "uid"), Invalid);
  EXPECT_THROW(parse_id("", "uid"), Invalid);
  EXPECT_EQ(parse_id("4294967294", "uid"), 4294967294);
  EXPECT_THROW(parse_id("4294967295", "uid"), Invalid);
  EXPECT_TRUE(parse_bool("true", "disabled"));
  EXPECT_FALSE(parse_bool("0", "disabled"));
  EXPECT_THROW(parse_bool("maybe", "disabled"), Invalid);
}

TEST(UserFields, ChecksWholeQueries) {
  UserQuery query;
  query.where.push_back({"uid", "abc"});
  EXPECT_THROW(check_user_query(query), Invalid);
  query.where = {{"disabled", "true"}};
  query.limit = -1;
  EXPECT_THROW(check_user_query(query), UsageError);
}
