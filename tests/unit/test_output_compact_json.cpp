#include <gtest/gtest.h>

#include "output/compact_json.hpp"

using usersctl::output::append_compact_json;
using usersctl::output::Record;

namespace {

std::string compact(const Record& value) {
  std::string out;
  append_compact_json(out, value);
  return out;
}

std::string reference(const Record& value) {
  return value.dump(-1, ' ', false, Record::error_handler_t::replace);
}

}  // namespace

TEST(CompactJson, MatchesNlohmannForRecordShapedValues) {
  Record record = Record::object();
  record["username"] = "alice";
  record["uid"] = 1000;
  record["big"] = std::uint64_t{18446744073709551615u};
  record["negative"] = -42;
  record["name"] = "Zoë \"Q\" Müller\\李雷 🙂";
  record["email"] = nullptr;
  record["groups"] = Record::array({"dev", "ops"});
  record["empty_groups"] = Record::array();
  record["attrs"] = Record::object({{"k", "v"}, {"tab", "a\tb"}});
  record["empty_attrs"] = Record::object();
  record["disabled"] = false;
  record["enabled"] = true;
  record["controls"] = std::string("\x01\x1f\b\f\n\r\x7f/", 8);
  EXPECT_EQ(compact(record), reference(record));
}

TEST(CompactJson, ReplacesInvalidUtf8LikeNlohmann) {
  for (const std::string& text : {std::string("bad\xff"), std::string("\xc3"), std::string("a\xc0\xafz"),
                                  std::string("\xed\xa0\x80"), std::string("ok\xe2\x82")}) {
    EXPECT_EQ(compact(Record(text)), reference(Record(text))) << text;
  }
}
