#include <gtest/gtest.h>

#include <sstream>

#include "core/csv_parser.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

std::vector<std::vector<std::string>> parse_all(const std::string& text) {
  std::istringstream in(text);
  CsvParser parser(in, "t.csv");
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (parser.next(fields)) records.push_back(fields);
  return records;
}

TEST(CsvParser, SplitsPlainAndQuotedFieldsPerRfc4180) {
  const auto records = parse_all("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\n,,\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"x,1", "say \"hi\"", ""}));
  EXPECT_EQ(records[2], (std::vector<std::string>{"", "", ""}));
}

TEST(CsvParser, AQuotedFieldSpansLinesAndRecordsKeepTheirStartingLine) {
  std::istringstream in("h\n\"two\nlines\"\nnext\n");
  CsvParser parser(in, "t.csv");
  std::vector<std::string> fields;
  ASSERT_TRUE(parser.next(fields));
  EXPECT_EQ(parser.record_line(), 1u);
  ASSERT_TRUE(parser.next(fields));
  EXPECT_EQ(fields, std::vector<std::string>{"two\nlines"});
  EXPECT_EQ(parser.record_line(), 2u);
  ASSERT_TRUE(parser.next(fields));
  EXPECT_EQ(fields, std::vector<std::string>{"next"});
  EXPECT_EQ(parser.record_line(), 4u);
  EXPECT_FALSE(parser.next(fields));
}

TEST(CsvParser, MalformedRecordsThrowWithTheirLineAndReadingGoesOn) {
  std::istringstream in("a\"b,c\n\"x\"y,z\nok\n\"open\n");
  CsvParser parser(in, "t.csv");
  std::vector<std::string> fields;
  try {
    parser.next(fields);
    FAIL() << "a quote inside an unquoted field";
  } catch (const LineError& error) {
    EXPECT_EQ(error.line, 1u);
  }
  EXPECT_THROW(parser.next(fields), LineError);  // characters after the closing quote
  ASSERT_TRUE(parser.next(fields));
  EXPECT_EQ(fields, std::vector<std::string>{"ok"});
  try {
    parser.next(fields);
    FAIL() << "an unclosed quote";
  } catch (const LineError& error) {
    EXPECT_EQ(error.line, 4u);
    EXPECT_NE(std::string(error.what()).find("not closed"), std::string::npos);
  }
}

TEST(CsvParser, RefusesInvalidUtf8AndNulBytes) {
  std::istringstream in(std::string("a,\xFF\nb,c") + '\0' + "d\n");
  CsvParser parser(in, "t.csv");
  std::vector<std::string> fields;
  EXPECT_THROW(parser.next(fields), LineError);
  EXPECT_THROW(parser.next(fields), LineError);
}

}  // namespace
}  // namespace usersctl::core
