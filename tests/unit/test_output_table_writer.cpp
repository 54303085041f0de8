#include <gtest/gtest.h>

#include <sstream>

#include "output/table_writer.hpp"

namespace usersctl::output {
namespace {

Record user(const std::string& username, const std::string& name, std::int64_t uid = 1000) {
  Record record = Record::object();
  record["username"] = username;
  record["uid"] = uid;
  record["name"] = name;
  record["email"] = nullptr;
  record["groups"] = Record::array({"admins", "dev"});
  record["attrs"] = Record::object({{"location", "Berlin"}});
  record["disabled"] = false;
  return record;
}

std::string write_all(Shape shape, const std::vector<Record>& records, std::vector<std::string> fields = {},
                      std::vector<std::string> table_columns = {"username", "uid", "name"},
                      std::size_t width = 0, bool headers = true) {
  std::ostringstream out;
  WriterOptions options;
  options.width = width;
  options.headers = headers;
  options.format = Format::Table;
  options.shape = shape;
  options.fields = std::move(fields);
  options.table_columns = std::move(table_columns);
  auto writer = make_table_writer(options, out);
  for (const auto& record : records) writer->write(record);
  writer->finish();
  return out.str();
}

TEST(TableListWriter, UpperCaseHeaderLeftAlignedTwoSpacesApart) {
  EXPECT_EQ(write_all(Shape::Many, {user("alice", "Alice Smith", 1000), user("bo", "Bo", 60001)}),
            "USERNAME  UID    NAME\n"
            "alice     1000   Alice Smith\n"
            "bo        60001  Bo\n");
}

TEST(TableListWriter, ShrinksTheWidestColumnsToFitTheWidth) {
  // Unlimited: 8 + 2 + 4 + 2 + 28 = 44 columns. At 30 the name column gives up 14.
  const std::vector<Record> records{user("alice", "Alice Pleasance Liddell Lane"), user("bo", "Bo")};
  EXPECT_EQ(write_all(Shape::Many, records, {}, {"username", "uid", "name"}, 30),
            "USERNAME  UID   NAME\n"
            "alice     1000  Alice Pleasan…\n"
            "bo        1000  Bo\n");
  EXPECT_EQ(write_all(Shape::Many, records, {}, {"username", "uid", "name"}, 44),
            write_all(Shape::Many, records))
      << "a table that fits is not touched";
}

TEST(TableListWriter, ShrinksEveryColumnDownToAMinimumAtMost) {
  const std::string table =
      write_all(Shape::Many, {user("alice", "Alice Liddell")}, {}, {"username", "name"}, 4);
  EXPECT_EQ(table, "US…  NA…\nal…  Al…\n");
}

TEST(TableListWriter, NoHeadersPrintsRowsOnlyMeasuredByThem) {
  EXPECT_EQ(write_all(Shape::Many, {user("al", "Al")}, {}, {"username", "uid"}, 0, false), "al  1000\n");
}

TEST(TableListWriter, AlignsMultibyteTextByColumnsNotBytes) {
  EXPECT_EQ(write_all(Shape::Many, {user("zoe", "Zoë Müller"), user("li", "李雷"), user("al", "Al")},
                      {"name", "username"}),
            "NAME        USERNAME\n"
            "Zoë Müller  zoe\n"
            "李雷        li\n"
            "Al          al\n");
}

TEST(TableListWriter, FieldsOverrideTableColumnsAndReachIntoAttrs) {
  EXPECT_EQ(
      write_all(Shape::Many, {user("alice", "Alice")}, {"attrs.location", "groups", "email", "disabled"}),
      "ATTRS.LOCATION  GROUPS      EMAIL  DISABLED\n"
      "Berlin          admins,dev         false\n");
}

TEST(TableListWriter, NoTrailingSpacesWhenTheLastCellIsShortOrEmpty) {
  EXPECT_EQ(write_all(Shape::Many, {user("alice", "Alice")}, {"username", "email"}),
            "USERNAME  EMAIL\n"
            "alice\n");
}

TEST(TableListWriter, TruncatesCellsToFortyColumns) {
  const std::string long_name(50, 'x');
  const std::string shown = std::string(39, 'x') + "…";
  EXPECT_EQ(write_all(Shape::Many, {user("alice", long_name)}, {"name", "username"}),
            "NAME" + std::string(38, ' ') + "USERNAME\n" + shown + "  alice\n");
}

TEST(TableListWriter, ControlCharactersNeverReachTheTerminal) {
  EXPECT_EQ(write_all(Shape::Many,
                      {user("eve",
                            "\x1b]0;pwned\x07"
                            "Eve\x9b")},
                      {"username", "name"}),
            "USERNAME  NAME\n"
            "eve       ?]0;pwned?Eve?\n");
}

TEST(TableListWriter, EmptyListPrintsNothingNotEvenAHeader) {
  EXPECT_EQ(write_all(Shape::Many, {}), "");
  EXPECT_EQ(write_all(Shape::Many, {}, {"username"}), "");
}

TEST(TableListWriter, WithoutAnyColumnsShowsTheFirstRecordsKeys) {
  EXPECT_EQ(write_all(Shape::Many, {Record::object({{"name", "dev"}, {"gid", 2000}})}, {}, {}),
            "NAME  GID\n"
            "dev   2000\n");
}

TEST(TableRecordWriter, VerticalKeyValueListingOfEveryField) {
  EXPECT_EQ(write_all(Shape::One, {user("zoe", "Zoë Müller")}),
            "username: zoe\n"
            "uid:      1000\n"
            "name:     Zoë Müller\n"
            "email:\n"
            "groups:   admins,dev\n"
            "attrs:    {\"location\":\"Berlin\"}\n"
            "disabled: false\n");
}

TEST(TableRecordWriter, FieldsChooseAndOrderTheLines) {
  EXPECT_EQ(write_all(Shape::One, {user("zoe", "Zoë Müller")}, {"name", "attrs.location", "uid"}),
            "name:           Zoë Müller\n"
            "attrs.location: Berlin\n"
            "uid:            1000\n");
}

TEST(TableRecordWriter, LongValuesAreNotTruncatedButAreMadeSafe) {
  const std::string long_name(60, 'y');
  EXPECT_EQ(write_all(Shape::One, {user("a", long_name + "\x1b")}, {"name"}), "name: " + long_name + "?\n");
}

TEST(TableRecordWriter, NothingWrittenPrintsNothing) { EXPECT_EQ(write_all(Shape::One, {}), ""); }

}  // namespace
}  // namespace usersctl::output
