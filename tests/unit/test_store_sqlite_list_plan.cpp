// The plan SQLite makes of `list --where attrs.KEY=VALUE` (issue 16): the rows come from
// user_attrs' (key, value, username) index in list order, so a LIMIT stops after that many rows.
// A full scan of users or a sort of the matches (a TEMP B-TREE) would read every match first.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <variant>
#include <vector>

#include "store/lifecycle_sql.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_user_list.hpp"

using namespace usersctl;

namespace {

class SqliteListPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const char* step : store::sqlite::migrations()) {
      char* error = nullptr;
      ASSERT_EQ(sqlite3_exec(db_, step, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    }
  }
  void TearDown() override { sqlite3_close(db_); }

  // EXPLAIN QUERY PLAN's detail lines of the outer query for the list SQL of `query` (the
  // subqueries of the selected columns run per row: one user's groups and keys).
  std::vector<std::string> plan(const model::UserQuery& query) {
    return plan(store::sqlite::user_list_sql(query));
  }

  std::vector<std::string> plan(const store::UserListSql& sql) {
    sqlite3_stmt* stmt = nullptr;
    const std::string text = "EXPLAIN QUERY PLAN " + sql.text;
    EXPECT_EQ(sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    for (std::size_t i = 0; i < sql.params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      if (const auto* number = std::get_if<std::int64_t>(&sql.params[i])) {
        sqlite3_bind_int64(stmt, at, *number);
      } else {
        sqlite3_bind_text(stmt, at, std::get<std::string>(sql.params[i]).c_str(), -1, SQLITE_TRANSIENT);
      }
    }
    std::vector<std::string> lines;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (sqlite3_column_int(stmt, 1) == 0) {
        lines.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
      }
    }
    sqlite3_finalize(stmt);
    return lines;
  }

  static std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
  }

  // The outermost loop reads the index by key and value; nothing scans users or sorts.
  void expect_index_in_list_order(const model::UserQuery& query) {
    const auto lines = plan(query);
    ASSERT_FALSE(lines.empty());
    const std::string text = joined(lines);
    EXPECT_NE(lines[0].find("SEARCH ua USING COVERING INDEX user_attrs_in_list_order (key=? AND value=?"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("SCAN u"), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  }

  sqlite3* db_ = nullptr;
};

model::FieldMatch attr(const std::string& key, const std::string& value) {
  return model::FieldMatch{std::nullopt, key, value};
}

TEST_F(SqliteListPlanTest, AnAttributeFilterWithALimitReadsTheIndexInUsernameOrder) {
  model::UserQuery query;
  query.where.push_back(attr("location", "south"));
  query.limit = 50;
  expect_index_in_list_order(query);
}

TEST_F(SqliteListPlanTest, ACursorPageAndTheDescendingOrderReadTheSameIndex) {
  model::UserQuery query;
  query.where.push_back(attr("location", "south"));
  query.limit = 50;
  query.after = model::KeysetPosition{std::string("user0000050"), "user0000050"};
  expect_index_in_list_order(query);
  query.order = model::SortOrder::Descending;
  expect_index_in_list_order(query);
}

TEST_F(SqliteListPlanTest, OtherFiltersBesideTheAttributeKeepTheIndexOrder) {
  model::UserQuery query;
  query.where.push_back({model::UserField::Disabled, "", std::int64_t{0}});
  query.where.push_back(attr("location", "south"));
  query.where.push_back(attr("team", "ops"));
  query.group = "staff";
  query.enabled = model::EnabledFilter::EnabledOnly;
  query.limit = 50;
  expect_index_in_list_order(query);
}

TEST_F(SqliteListPlanTest, AnotherSortOrderKeepsTheFilterAsASubquery) {
  model::UserQuery query;
  query.where.push_back(attr("location", "south"));
  query.sort = model::UserField::Uid;
  const std::string text = store::sqlite::user_list_sql(query).text;
  EXPECT_EQ(text.find("user_attrs ua"), std::string::npos) << text;
  EXPECT_NE(text.find("ORDER BY u.uid"), std::string::npos) << text;
}

store::UserListSql without_params(std::string text) {
  store::UserListSql sql;
  sql.text = std::move(text);
  return sql;
}

// Every change ends with a look at the recycle bin (recycle_days): it must read only the bin.
TEST_F(SqliteListPlanTest, TheRecycleBinIsReadFromItsOwnIndexes) {
  const std::string users =
      joined(plan(without_params(store::sqlite::user_select_sql() + store::lifecycle_sql::kBinnedUsers)));
  EXPECT_NE(users.find("u USING INDEX users_binned"), std::string::npos) << users;
  EXPECT_EQ(users.find("TEMP B-TREE"), std::string::npos) << users;
  const std::string groups =
      joined(plan(without_params(store::sqlite::group_select_sql() + store::lifecycle_sql::kBinnedGroups)));
  EXPECT_NE(groups.find("g USING INDEX usergroups_binned"), std::string::npos) << groups;
  EXPECT_EQ(groups.find("TEMP B-TREE"), std::string::npos) << groups;
}

}  // namespace
