#include <gtest/gtest.h>

#include "output/format.hpp"

namespace usersctl::output {
namespace {

TEST(ParseFormat, AcceptsEveryDocumentedName) {
  EXPECT_EQ(parse_format("table"), Format::Table);
  EXPECT_EQ(parse_format("json"), Format::Json);
  EXPECT_EQ(parse_format("jsonl"), Format::Jsonl);
  EXPECT_EQ(parse_format("csv"), Format::Csv);
  EXPECT_EQ(parse_format("tsv"), Format::Tsv);
}

TEST(ParseFormat, RejectsUnknownNames) {
  EXPECT_EQ(parse_format("yaml"), std::nullopt);
  EXPECT_EQ(parse_format(""), std::nullopt);
  EXPECT_EQ(parse_format("JSON"), std::nullopt);
  EXPECT_EQ(parse_format("json "), std::nullopt);
  EXPECT_EQ(parse_format("jsonlines"), std::nullopt);
}

TEST(DefaultFormat, TableOnATerminalWhateverTheShape) {
  EXPECT_EQ(default_format(Shape::Many, true), Format::Table);
  EXPECT_EQ(default_format(Shape::One, true), Format::Table);
}

TEST(DefaultFormat, JsonlForListsAndJsonForOneRecordInPipes) {
  EXPECT_EQ(default_format(Shape::Many, false), Format::Jsonl);
  EXPECT_EQ(default_format(Shape::One, false), Format::Json);
}

}  // namespace
}  // namespace usersctl::output
