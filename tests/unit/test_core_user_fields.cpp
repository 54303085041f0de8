#include <gtest/gtest.h>

#include "core/user_fields.hpp"
#include "util/errors.hpp"

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

TEST(UserFields, ParsesWholeQueriesIntoTypedValues) {
  ListRequest request;
  request.where = {{"uid", "abc"}};
  EXPECT_THROW(parse_list_request(request), UsageError);  // every bad filter is a usage error
  request.where = {{"disabled", "true"}, {"email", "Ann@Example.COM"}, {"attrs.team", "ops"}};
  request.sort = "uid";
  const UserQuery query = parse_list_request(request);
  ASSERT_EQ(query.where.size(), 3U);
  EXPECT_EQ(query.where[0].field, UserField::Disabled);
  EXPECT_EQ(std::get<std::int64_t>(query.where[0].value), 1);
  EXPECT_EQ(std::get<std::string>(query.where[1].value), "ann@example.com");
  EXPECT_FALSE(query.where[2].field.has_value());
  EXPECT_EQ(query.where[2].attr_key, "team");
  EXPECT_EQ(query.sort, UserField::Uid);
  request.limit = -1;
  EXPECT_THROW(parse_list_request(request), UsageError);
  request.limit.reset();
  request.sort = "attrs.team";
  EXPECT_THROW(parse_list_request(request), UsageError);
}
