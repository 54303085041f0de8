// The record readers of import/apply: jsonl_user_reader, csv_user_reader, passwd_user_reader.

#include <gtest/gtest.h>

#include <sstream>

#include "core/user_reader.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

std::vector<UserInput> read_all(InputFormat format, const std::string& text,
                                const ShadowHashes* shadow = nullptr) {
  std::istringstream in(text);
  auto reader = make_user_reader(format, in, "t", shadow);
  std::vector<UserInput> records;
  UserInput input;
  while (reader->next(input)) records.push_back(input);
  return records;
}

std::size_t failing_line(InputFormat format, const std::string& text) {
  std::istringstream in(text);
  auto reader = make_user_reader(format, in, "t", nullptr);
  UserInput input;
  try {
    while (reader->next(input)) {
    }
  } catch (const LineError& error) {
    return error.line;
  }
  return 0;
}

TEST(JsonlUserReader, ReadsEveryFieldAndSkipsBlankLines) {
  const auto records = read_all(
      InputFormat::Jsonl,
      "\n{\"username\":\"a\",\"name\":\"A\",\"email\":null,\"uid\":7,\"disabled\":true,\"groups\":[\"g\"],"
      "\"attrs\":{\"k\":\"v\"},\"password_hash\":\"$y$x\",\"version\":3,\"created_at\":\"x\"}\n");
  ASSERT_EQ(records.size(), 1u);
  const UserInput& a = records[0];
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.username, "a");
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(a.email, "") << "null clears";
  EXPECT_EQ(a.uid, 7);
  EXPECT_EQ(a.disabled, true);
  EXPECT_EQ(a.groups, std::vector<std::string>{"g"});
  EXPECT_EQ(a.attrs, (Attributes{{"k", "v"}}));
  EXPECT_EQ(a.password_hash, "$y$x");
}

TEST(JsonlUserReader, AbsentFieldsStayAbsent) {
  const auto records = read_all(InputFormat::Jsonl, "{\"username\":\"a\"}\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].name || records[0].email || records[0].uid || records[0].groups ||
               records[0].attrs);
}

TEST(JsonlUserReader, BadLinesNameTheirLine) {
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\"}\n{\"username\":1}\n"), 2u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"name\":\"no username\"}\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "[1,2]\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\",\"bogus\":1}\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\",\"attrs\":{\"k\":1}}\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\",\"uid\":1.5}\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\",\"x\":" + std::string(50, '[') + "}\n"),
            1u);
}

TEST(CsvUserReader, MapsHeaderColumnsToFields) {
  const auto records = read_all(InputFormat::Csv,
                                "username,name,email,uid,disabled,groups,attrs.room,attrs.desk,version\n"
                                "a,'=x,,12,yes,\"g1,g2\",5,,9\n");
  ASSERT_EQ(records.size(), 1u);
  const UserInput& a = records[0];
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.name, "=x") << "the formula quote comes off";
  EXPECT_EQ(a.email, "");
  EXPECT_EQ(a.uid, 12);
  EXPECT_EQ(a.disabled, true);
  EXPECT_EQ(a.groups, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_EQ(a.attrs, (Attributes{{"room", "5"}}));
}

TEST(CsvUserReader, HeaderProblemsStopTheWholeFile) {
  EXPECT_THROW(read_all(InputFormat::Csv, "name,email\nA,a@example.org\n"), Invalid);
  EXPECT_THROW(read_all(InputFormat::Csv, "username,colour\na,red\n"), Invalid);
  EXPECT_THROW(read_all(InputFormat::Csv, "username,name,name\na,b,c\n"), Invalid);
  EXPECT_THROW(read_all(InputFormat::Csv, ""), Invalid);
}

TEST(CsvUserReader, RowsWithTheWrongFieldCountOrBadValuesAreLineErrors) {
  EXPECT_EQ(failing_line(InputFormat::Csv, "username,name\na,A\nb\n"), 3u);
  EXPECT_EQ(failing_line(InputFormat::Csv, "username,uid\na,12x\n"), 2u);
  EXPECT_EQ(failing_line(InputFormat::Csv, "username,disabled\na,maybe\n"), 2u);
}

TEST(PasswdUserReader, ReadsSevenFieldsWithShadowHashes) {
  const ShadowHashes shadow = {{"a", {"$6$s$h", "", ""}}, {"b", {"!$6$s$h", "", ""}}, {"c", {"*", "", ""}}};
  const auto records =
      read_all(InputFormat::Passwd,
               "a:x:1000:1000:Ann,,,:/home/a:/bin/bash\nb:x:1001:1001::/home/b:\nc:x:1002:1:::\n"
               "d:!:1003:1:::\n",
               &shadow);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].uid, 1000);
  EXPECT_EQ(records[0].name, "Ann,,,");
  EXPECT_EQ(records[0].gid, 1000);
  EXPECT_EQ(records[0].home, "/home/a");
  EXPECT_EQ(records[0].shell, "/bin/bash");
  EXPECT_FALSE(records[0].attrs) << "home and shell are fields, not attributes";
  EXPECT_FALSE(records[1].shell) << "an empty shell: the default";
  EXPECT_EQ(records[2].gid, 1);
  EXPECT_EQ(records[0].password_hash, "$6$s$h");
  EXPECT_EQ(records[0].disabled, false) << "shadow says it is not locked";
  EXPECT_EQ(records[1].password_hash, "$6$s$h");
  EXPECT_EQ(records[1].disabled, true);
  EXPECT_FALSE(records[2].password_hash);
  EXPECT_EQ(records[3].disabled, true) << "a locked passwd field";
  EXPECT_FALSE(records[3].password_hash);
}

TEST(PasswdUserReader, LinesNeedSevenFieldsAndNumericIds) {
  EXPECT_EQ(failing_line(InputFormat::Passwd, "a:x:1:1::/:/bin/sh\nb:x:2:2::/\n"), 2u);
  EXPECT_EQ(failing_line(InputFormat::Passwd, "a:x:-:1::/:/bin/sh\n"), 1u);
  EXPECT_EQ(failing_line(InputFormat::Passwd, "a:x:1:g::/:/bin/sh\n"), 1u);
}

TEST(UserReader, FormatNamesAreChecked) {
  EXPECT_EQ(parse_input_format("csv"), InputFormat::Csv);
  EXPECT_THROW(parse_input_format("xml"), UsageError);
}

}  // namespace
}  // namespace usersctl::core

namespace usersctl::core {
namespace {

// {"username":"alice","username":"root"} kept the last key: a check of the first let root in.
TEST(JsonlUserReader, DuplicateKeysAreRefusedWithTheirLine) {
  EXPECT_EQ(failing_line(InputFormat::Jsonl,
                         "{\"username\":\"a\"}\n{\"username\":\"alice\",\"username\":\"root\"}\n"),
            2u);
  EXPECT_EQ(failing_line(InputFormat::Jsonl, "{\"username\":\"a\",\"attrs\":{\"k\":\"1\",\"k\":\"2\"}}\n"),
            1u);
  // The same key in two different objects is fine.
  const auto records = read_all(InputFormat::Jsonl, "{\"username\":\"a\",\"attrs\":{\"username\":\"x\"}}\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].username, "a");
}

TEST(CsvUserReader, ByteOrderMarkBeforeTheHeaderIsSkipped) {
  const auto records = read_all(InputFormat::Csv, "\xEF\xBB\xBFusername,email\nalice,alice@example.org\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].username, "alice");
  EXPECT_EQ(records[0].email, "alice@example.org");
}

}  // namespace
}  // namespace usersctl::core
