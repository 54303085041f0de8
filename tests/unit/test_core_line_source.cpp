// The line limit of every line reader (issue 20): a line past kMaxLineBytes stops the read with its
// line number before it is all in memory, and is never read to its end.

#include <gtest/gtest.h>

#include <sstream>
#include <streambuf>
#include <string>

#include "core/csv_parser.hpp"
#include "core/line_source.hpp"
#include "util/errors.hpp"

using usersctl::Invalid;
using usersctl::core::CsvParser;
using usersctl::core::kMaxLineBytes;
using usersctl::core::LineSource;

namespace {

// An endless input of one byte (`cat /dev/zero`), counting what was taken from it.
class EndlessBuffer : public std::streambuf {
 public:
  explicit EndlessBuffer(char fill) { block_.assign(64 * 1024, fill); }
  std::size_t served() const { return served_; }

 protected:
  int_type underflow() override {
    served_ += block_.size();
    setg(block_.data(), block_.data(), block_.data() + block_.size());
    return traits_type::to_int_type(block_[0]);
  }

 private:
  std::string block_;
  std::size_t served_ = 0;
};

std::string error_of(LineSource& source) {
  std::string line;
  try {
    while (source.next(line)) {
    }
  } catch (const Invalid& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST(LineSource, AnEndlessLineStopsAtTheLimitNamingItsLine) {
  EndlessBuffer endless('a');
  std::istream in(&endless);
  LineSource source(in, "stdin");
  const std::string error = error_of(source);
  EXPECT_EQ(error, "stdin: line 1 is longer than 16 MiB; nothing was read past it");
  EXPECT_LE(endless.served(), kMaxLineBytes + 128 * 1024);  // not a byte more than needed
}

TEST(LineSource, TheLimitCountsFromTheLineItsOn) {
  std::string text =
      "one\ntwo\n" + std::string(kMaxLineBytes, 'x') + "\n" + std::string(kMaxLineBytes + 1, 'y');
  std::istringstream in(text);
  LineSource source(in, "users.jsonl");
  std::string line;
  ASSERT_TRUE(source.next(line));
  ASSERT_TRUE(source.next(line));
  ASSERT_TRUE(source.next(line));  // exactly at the limit: taken
  EXPECT_EQ(line.size(), kMaxLineBytes);
  EXPECT_EQ(error_of(source), "users.jsonl: line 4 is longer than 16 MiB; nothing was read past it");
}

TEST(LineSource, LinesAcrossChunksAndEndingsAreWhole) {
  const std::string long_line(200 * 1024 + 7, 'z');
  std::istringstream in("a\r\n\n" + long_line + "\n" + std::string(64 * 1024 - 1, 'q') + "\nlast");
  LineSource source(in, "f");
  std::string line;
  ASSERT_TRUE(source.next(line));
  EXPECT_EQ(line, "a");
  ASSERT_TRUE(source.next(line));
  EXPECT_EQ(line, "");
  ASSERT_TRUE(source.next(line));
  EXPECT_EQ(line, long_line);
  ASSERT_TRUE(source.next(line));
  EXPECT_EQ(line.size(), 64u * 1024 - 1);
  ASSERT_TRUE(source.next(line));
  EXPECT_EQ(line, "last");
  EXPECT_FALSE(source.next(line));
  EXPECT_EQ(source.line_number(), 5u);
}

TEST(LineSource, ACsvRecordOfManyLinesHasTheLimitToo) {
  std::string text = "username\n\"";
  const std::string line(1024 * 1024, 'n');
  for (int i = 0; i < 17; ++i) text += line + "\n";
  std::istringstream in(text);
  CsvParser parser(in, "users.csv");
  std::vector<std::string> fields;
  ASSERT_TRUE(parser.next(fields));
  try {
    parser.next(fields);
    FAIL() << "a 17 MiB record was read";
  } catch (const Invalid& error) {
    EXPECT_EQ(std::string(error.what()),
              "users.csv: line 2: the record is longer than 16 MiB; nothing was read past it");
  }
}
