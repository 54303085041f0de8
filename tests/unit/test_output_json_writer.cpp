#include <gtest/gtest.h>

#include <sstream>

#include "output/json_writer.hpp"

namespace usersctl::output {
namespace {

Record user(const std::string& username, const std::string& name) {
  Record record = Record::object();
  record["username"] = username;
  record["name"] = name;
  record["email"] = nullptr;
  record["groups"] = Record::array({"admins", "dev"});
  record["attrs"] = Record::object({{"location", "Berlin"}});
  record["disabled"] = false;
  record["version"] = 1;
  return record;
}

std::string write_all(Format format, Shape shape, const std::vector<Record>& records,
                      std::vector<std::string> fields = {}) {
  std::ostringstream out;
  WriterOptions options;
  options.format = format;
  options.shape = shape;
  options.fields = std::move(fields);
  auto writer = format == Format::Json ? make_json_writer(options, out) : make_jsonl_writer(options, out);
  for (const auto& record : records) writer->write(record);
  writer->finish();
  return out.str();
}

std::vector<Record> users(int count) {
  std::vector<Record> records;
  for (int i = 0; i < count; ++i)
    records.push_back(user("user" + std::to_string(i), "User " + std::to_string(i)));
  return records;
}

TEST(JsonArrayWriter, EmptyListIsAnEmptyArray) {
  EXPECT_EQ(write_all(Format::Json, Shape::Many, {}), "[]\n");
}

TEST(JsonArrayWriter, OneRecordExactly) {
  EXPECT_EQ(write_all(Format::Json, Shape::Many, {user("zoe", "Zoë Müller")}),
            "[\n"
            "  {\n"
            "    \"username\": \"zoe\",\n"
            "    \"name\": \"Zoë Müller\",\n"
            "    \"email\": null,\n"
            "    \"groups\": [\n"
            "      \"admins\",\n"
            "      \"dev\"\n"
            "    ],\n"
            "    \"attrs\": {\n"
            "      \"location\": \"Berlin\"\n"
            "    },\n"
            "    \"disabled\": false,\n"
            "    \"version\": 1\n"
            "  }\n"
            "]\n");
}

// Streaming element by element must produce the very document a whole-array dump would.
class JsonArrayStreaming : public testing::TestWithParam<int> {};

TEST_P(JsonArrayStreaming, MatchesDumpingTheWholeArray) {
  const std::vector<Record> records = users(GetParam());
  Record whole = Record::array();
  for (const auto& record : records) whole.push_back(record);
  const std::string streamed = write_all(Format::Json, Shape::Many, records);
  EXPECT_EQ(streamed, whole.dump(2) + "\n");
  EXPECT_EQ(Record::parse(streamed), whole);
}

INSTANTIATE_TEST_SUITE_P(ZeroOneThree, JsonArrayStreaming, testing::Values(0, 1, 3));

TEST(JsonArrayWriter, EmptyNestedCollectionsStayInline) {
  Record record = Record::object({{"groups", Record::array()}, {"attrs", Record::object()}});
  EXPECT_EQ(write_all(Format::Json, Shape::Many, {record, record}),
            "[\n  {\n    \"groups\": [],\n    \"attrs\": {}\n  },\n  {\n    \"groups\": [],\n    \"attrs\": "
            "{}\n  }\n]\n");
}

TEST(JsonObjectWriter, OneRecordIsPrettyPrintedWithTrailingNewline) {
  EXPECT_EQ(write_all(Format::Json, Shape::One, {user("zoe", "Zoë Müller")}, {"username", "name", "groups"}),
            "{\n  \"username\": \"zoe\",\n  \"name\": \"Zoë Müller\",\n  \"groups\": [\n    \"admins\",\n"
            "    \"dev\"\n  ]\n}\n");
}

TEST(JsonObjectWriter, NothingWrittenPrintsNothing) {
  EXPECT_EQ(write_all(Format::Json, Shape::One, {}), "");
}

TEST(JsonlWriter, OneCompactObjectPerLine) {
  EXPECT_EQ(write_all(Format::Jsonl, Shape::Many, users(2)),
            R"({"username":"user0","name":"User 0","email":null,"groups":["admins","dev"],)"
            R"("attrs":{"location":"Berlin"},"disabled":false,"version":1})"
            "\n"
            R"({"username":"user1","name":"User 1","email":null,"groups":["admins","dev"],)"
            R"("attrs":{"location":"Berlin"},"disabled":false,"version":1})"
            "\n");
}

TEST(JsonlWriter, EmptyListPrintsNothing) { EXPECT_EQ(write_all(Format::Jsonl, Shape::Many, {}), ""); }

TEST(JsonlWriter, OneShapeIsStillOneLine) {
  EXPECT_EQ(write_all(Format::Jsonl, Shape::One, {user("a", "A")}, {"username"}), "{\"username\":\"a\"}\n");
}

TEST(JsonWriters, FieldsSelectAndOrderKeysWithAttrsAndNullForMissing) {
  const std::vector<std::string> fields{"version", "attrs.location", "username", "attrs.missing", "nope"};
  EXPECT_EQ(write_all(Format::Jsonl, Shape::Many, {user("zoe", "Z")}, fields),
            R"({"version":1,"attrs.location":"Berlin","username":"zoe","attrs.missing":null,"nope":null})"
            "\n");
  EXPECT_EQ(write_all(Format::Json, Shape::Many, {user("zoe", "Z")}, {"attrs.location", "username"}),
            "[\n  {\n    \"attrs.location\": \"Berlin\",\n    \"username\": \"zoe\"\n  }\n]\n");
}

TEST(JsonWriters, UnicodeRoundTripsByteExact) {
  const std::string name = "Zoë Müller 李雷 😀";
  const std::string jsonl = write_all(Format::Jsonl, Shape::Many, {user("zoe", name)}, {"name"});
  EXPECT_EQ(jsonl, "{\"name\":\"" + name + "\"}\n");
  const std::string json = write_all(Format::Json, Shape::One, {user("zoe", name)}, {"name"});
  EXPECT_EQ(json, "{\n  \"name\": \"" + name + "\"\n}\n");
  EXPECT_EQ(Record::parse(json)["name"].get<std::string>(), name);
}

TEST(JsonWriters, SpecialCharactersAreEscaped) {
  EXPECT_EQ(write_all(Format::Jsonl, Shape::Many, {user("x", "a\"b\\c\nd\x01")}, {"name"}),
            "{\"name\":\"a\\\"b\\\\c\\nd\\u0001\"}\n");
}

TEST(JsonWriters, InvalidUtf8IsReplacedInsteadOfThrowing) {
  const std::string bad =
      "ab\xff"
      "cd";
  std::string out;
  ASSERT_NO_THROW(out = write_all(Format::Jsonl, Shape::Many, {user("x", bad)}, {"name"}));
  EXPECT_EQ(out,
            "{\"name\":\"ab\xEF\xBF\xBD"
            "cd\"}\n");  // U+FFFD
}

}  // namespace
}  // namespace usersctl::output
