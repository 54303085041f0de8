#include <gtest/gtest.h>

#include <sstream>

#include "output/record_writer.hpp"

namespace usersctl::output {
namespace {

Record sample() {
  return Record::parse(R"({"username":"zoe","uid":1001,"email":null,"groups":["admins","dev"],)"
                       R"("attrs":{"location":"Berlin","shell":"zsh"},"disabled":false,"odd.key":"dotted"})");
}

TEST(FieldValue, TopLevelKeys) {
  EXPECT_EQ(field_value(sample(), "username"), "zoe");
  EXPECT_EQ(field_value(sample(), "uid"), 1001);
  EXPECT_EQ(field_value(sample(), "groups").dump(), R"(["admins","dev"])");
}

TEST(FieldValue, AttrsKeyReachesInsideTheAttrsObject) {
  EXPECT_EQ(field_value(sample(), "attrs.location"), "Berlin");
  EXPECT_EQ(field_value(sample(), "attrs.shell"), "zsh");
}

TEST(FieldValue, MissingFieldsAreNull) {
  EXPECT_TRUE(field_value(sample(), "nope").is_null());
  EXPECT_TRUE(field_value(sample(), "attrs.nope").is_null());
  EXPECT_TRUE(field_value(sample(), "email").is_null());
  EXPECT_TRUE(field_value(sample(), "username.x").is_null());  // not an object
  EXPECT_TRUE(field_value(sample(), "nope.x").is_null());
}

TEST(FieldRef, RefersIntoTheRecordWithoutCopying) {
  const Record record = sample();
  EXPECT_EQ(&field_ref(record, "groups"), &record["groups"]);
  EXPECT_EQ(&field_ref(record, "attrs.location"), &record["attrs"]["location"]);
  EXPECT_TRUE(field_ref(record, "attrs.nope").is_null());
  EXPECT_TRUE(field_ref(record, "nope").is_null());
}

TEST(FieldValue, AnExactKeyWithADotWins) { EXPECT_EQ(field_value(sample(), "odd.key"), "dotted"); }

TEST(CellText, EachJsonType) {
  EXPECT_EQ(cell_text(Record("Zoë Müller")), "Zoë Müller");
  EXPECT_EQ(cell_text(Record(1001)), "1001");
  EXPECT_EQ(cell_text(Record(-5)), "-5");
  EXPECT_EQ(cell_text(Record(true)), "true");
  EXPECT_EQ(cell_text(Record(false)), "false");
  EXPECT_EQ(cell_text(Record(nullptr)), "");
}

TEST(CellText, ArraysJoinWithCommas) {
  EXPECT_EQ(cell_text(Record::parse(R"(["admins","dev"])")), "admins,dev");
  EXPECT_EQ(cell_text(Record::parse(R"(["solo"])")), "solo");
  EXPECT_EQ(cell_text(Record::array()), "");
}

TEST(CellText, ObjectsAreCompactJson) {
  EXPECT_EQ(cell_text(Record::parse(R"({"k":"v","city":"Zürich"})")), R"({"k":"v","city":"Zürich"})");
  EXPECT_EQ(cell_text(Record::object()), "{}");
}

TEST(CsvCell, PlainTextIsUnchanged) {
  EXPECT_EQ(csv_cell("alice", ','), "alice");
  EXPECT_EQ(csv_cell("", ','), "");
  EXPECT_EQ(csv_cell("李雷", ','), "李雷");
  EXPECT_EQ(csv_cell("a-b=c", ','), "a-b=c");  // only a leading character is a formula
}

TEST(CsvCell, QuotesFieldsHoldingSeparatorQuoteOrLineBreak) {
  EXPECT_EQ(csv_cell("a,b", ','), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("line1\nline2", ','), "\"line1\nline2\"");
  EXPECT_EQ(csv_cell("cr\rhere", ','), "\"cr\rhere\"");
  EXPECT_EQ(csv_cell("\"", ','), "\"\"\"\"");
}

TEST(CsvCell, TheSeparatorDecidesWhatNeedsQuoting) {
  EXPECT_EQ(csv_cell("a,b", '\t'), "a,b");
  EXPECT_EQ(csv_cell("a\tb", '\t'), "\"a\tb\"");
  EXPECT_EQ(csv_cell("a\tb", ','), "a\tb");
}

class CsvCellFormulaLead : public testing::TestWithParam<char> {};

TEST_P(CsvCellFormulaLead, GetsALeadingApostrophe) {
  const std::string text = std::string(1, GetParam()) + "SUM(A1)";
  EXPECT_EQ(csv_cell(text, ';'), "'" + text);
}

INSTANTIATE_TEST_SUITE_P(OwaspLeadCharacters, CsvCellFormulaLead, testing::Values('=', '+', '-', '@'));

TEST(CsvCell, TabAndCarriageReturnLeadsAreNeutralisedAndQuotedWhenSpecial) {
  EXPECT_EQ(csv_cell("\tcmd", ','), "'\tcmd");
  EXPECT_EQ(csv_cell("\tcmd", '\t'), "\"'\tcmd\"");
  EXPECT_EQ(csv_cell("\rcmd", ','), "\"'\rcmd\"");
}

TEST(CsvCell, NeutralisingAndQuotingCombine) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\",\"y\")", ','), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
}

// make_writer picks the renderer the format names; each writer's own tests cover the details.
std::string render(Format format, Shape shape) {
  std::ostringstream out;
  WriterOptions options;
  options.format = format;
  options.shape = shape;
  options.fields = {"username", "uid"};
  auto writer = make_writer(options, out);
  writer->write(sample());
  writer->finish();
  return out.str();
}

TEST(MakeWriter, DispatchesOnFormatAndShape) {
  EXPECT_EQ(render(Format::Jsonl, Shape::Many), "{\"username\":\"zoe\",\"uid\":1001}\n");
  EXPECT_EQ(render(Format::Json, Shape::One), "{\n  \"username\": \"zoe\",\n  \"uid\": 1001\n}\n");
  EXPECT_EQ(render(Format::Json, Shape::Many),
            "[\n  {\n    \"username\": \"zoe\",\n    \"uid\": 1001\n  }\n]\n");
  EXPECT_EQ(render(Format::Csv, Shape::Many), "username,uid\nzoe,1001\n");
  EXPECT_EQ(render(Format::Tsv, Shape::Many), "username\tuid\nzoe\t1001\n");
  EXPECT_EQ(render(Format::Table, Shape::Many), "USERNAME  UID\nzoe       1001\n");
  EXPECT_EQ(render(Format::Table, Shape::One), "username: zoe\nuid:      1001\n");
}

}  // namespace
}  // namespace usersctl::output
