#include <gtest/gtest.h>

#include <sstream>

#include "output/csv_writer.hpp"

namespace usersctl::output {
namespace {

Record user(const std::string& username, const std::string& name, Record email = nullptr) {
  Record record = Record::object();
  record["username"] = username;
  record["uid"] = 1000;
  record["name"] = name;
  record["email"] = std::move(email);
  record["groups"] = Record::array({"admins", "dev"});
  record["attrs"] = Record::object({{"location", "Berlin"}});
  record["disabled"] = false;
  return record;
}

std::string write_all(char separator, const std::vector<Record>& records,
                      std::vector<std::string> fields = {}) {
  std::ostringstream out;
  WriterOptions options;
  options.format = separator == ',' ? Format::Csv : Format::Tsv;
  options.fields = std::move(fields);
  options.table_columns = {"username"};  // table-only: csv must ignore it
  auto writer = make_csv_writer(options, out, separator);
  for (const auto& record : records) writer->write(record);
  writer->finish();
  return out.str();
}

TEST(CsvWriter, NoHeadersPrintsTheRowsOnly) {
  std::ostringstream out;
  WriterOptions options;
  options.fields = {"username", "name"};
  options.headers = false;
  auto writer = make_csv_writer(options, out, '\t');
  writer->write(user("alice", "Alice"));
  writer->write(user("bob", "Bob"));
  writer->finish();
  EXPECT_EQ(out.str(), "alice\tAlice\nbob\tBob\n");
}

TEST(CsvWriter, HeaderFromFirstRecordThenOneRowEach) {
  EXPECT_EQ(write_all(',', {user("alice", "Alice"), user("bob", "Bob", "bob@example.org")}),
            "username,uid,name,email,groups,attrs,disabled\n"
            "alice,1000,Alice,,\"admins,dev\",\"{\"\"location\"\":\"\"Berlin\"\"}\",false\n"
            "bob,1000,Bob,bob@example.org,\"admins,dev\",\"{\"\"location\"\":\"\"Berlin\"\"}\",false\n");
}

TEST(CsvWriter, FieldsChooseAndOrderColumnsIncludingAttrs) {
  EXPECT_EQ(write_all(',', {user("alice", "Alice")}, {"attrs.location", "username", "attrs.none", "uid"}),
            "attrs.location,username,attrs.none,uid\nBerlin,alice,,1000\n");
}

TEST(CsvWriter, Rfc4180QuotingOfCommasQuotesAndLineBreaks) {
  EXPECT_EQ(write_all(',', {user("a", "Doe, Jane"), user("b", "The \"Boss\""), user("c", "two\nlines")},
                      {"username", "name"}),
            "username,name\n"
            "a,\"Doe, Jane\"\n"
            "b,\"The \"\"Boss\"\"\"\n"
            "c,\"two\nlines\"\n");
}

TEST(CsvWriter, FormulaTextIsNeutralisedButNumbersAreNot) {
  Record record =
      Record::object({{"name", "=1+2"}, {"note", "@cmd"}, {"plus", "+x"}, {"minus", "-x"}, {"n", -5}});
  EXPECT_EQ(write_all(',', {record}), "name,note,plus,minus,n\n'=1+2,'@cmd,'+x,'-x,-5\n");
}

TEST(CsvWriter, UnicodeRoundTripsByteExact) {
  EXPECT_EQ(write_all(',', {user("zoe", "Zoë Müller"), user("li", "李雷")}, {"username", "name"}),
            "username,name\nzoe,Zoë Müller\nli,李雷\n");
}

TEST(CsvWriter, EmptyListWithFieldsPrintsNothing) {
  EXPECT_EQ(write_all(',', {}, {"username", "uid"}), "");
  EXPECT_EQ(write_all('\t', {}, {"username", "uid"}), "");
}

TEST(CsvWriter, EmptyListWithoutFieldsPrintsNothing) {
  EXPECT_EQ(write_all(',', {}), "");
  EXPECT_EQ(write_all('\t', {}), "");
}

TEST(CsvWriter, LaterRecordsFollowTheFirstRecordsColumns) {
  Record second = Record::object({{"extra", "x"}, {"username", "bob"}});
  EXPECT_EQ(write_all(',', {Record::object({{"username", "alice"}, {"uid", 1}}), second}),
            "username,uid\nalice,1\nbob,\n");
}

TEST(CsvWriter, HeaderNamesAreQuotedAndNeutralisedToo) {
  EXPECT_EQ(write_all(',', {Record::object()}, {"a,b", "=x"}), "\"a,b\",'=x\n,\n");
  // An already quoted formula keeps its quote behind a second one, so import restores it exactly.
  EXPECT_EQ(write_all(',', {Record::object()}, {"'=x", "'plain"}), "''=x,'plain\n,\n");
}

TEST(TsvWriter, TabSeparatedWithCommasLeftAlone) {
  EXPECT_EQ(write_all('\t', {user("alice", "Doe, Jane")}, {"username", "name", "groups", "disabled"}),
            "username\tname\tgroups\tdisabled\nalice\tDoe, Jane\tadmins,dev\tfalse\n");
}

TEST(TsvWriter, QuotesFieldsHoldingATab) {
  EXPECT_EQ(write_all('\t', {user("alice", "a\tb")}, {"name"}), "name\n\"a\tb\"\n");
}

}  // namespace
}  // namespace usersctl::output
