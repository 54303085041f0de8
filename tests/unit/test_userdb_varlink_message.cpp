#include <gtest/gtest.h>

#include "userdb/varlink_message.hpp"

namespace usersctl::userdb {
namespace {

using nlohmann::json;

json unframe(const std::string& message) {
  EXPECT_FALSE(message.empty());
  EXPECT_EQ(message.back(), '\0');
  return json::parse(message.substr(0, message.size() - 1));
}

TEST(UserdbVarlinkMessage, ParsesACall) {
  const Request request = parse_request(
      R"({"method":"io.systemd.UserDatabase.GetUserRecord","parameters":{"uid":5},"more":true})");
  EXPECT_EQ(request.method, "io.systemd.UserDatabase.GetUserRecord");
  EXPECT_EQ(request.parameters, json({{"uid", 5}}));
  EXPECT_TRUE(request.more);
  EXPECT_FALSE(request.oneway);
}

TEST(UserdbVarlinkMessage, ParametersDefaultToAnEmptyObject) {
  const Request request = parse_request(R"({"method":"org.varlink.service.GetInfo"})");
  EXPECT_TRUE(request.parameters.is_object());
  EXPECT_TRUE(request.parameters.empty());
}

TEST(UserdbVarlinkMessage, RefusesWhatIsNotACall) {
  EXPECT_THROW(parse_request("not json"), ProtocolError);
  EXPECT_THROW(parse_request("[1,2]"), ProtocolError);
  EXPECT_THROW(parse_request(R"({"parameters":{}})"), ProtocolError);
  EXPECT_THROW(parse_request(R"({"method":7})"), ProtocolError);
  EXPECT_THROW(parse_request(R"({"method":"a.b","parameters":[]})"), ProtocolError);
  EXPECT_THROW(parse_request(R"({"method":"a.b","more":"yes"})"), ProtocolError);
  EXPECT_THROW(parse_request(R"({"method":"a.b","more":true,"oneway":true})"), ProtocolError);
}

TEST(UserdbVarlinkMessage, FormatsRepliesAndErrorsNulTerminated) {
  EXPECT_EQ(unframe(format_reply({{"a", 1}})), json({{"parameters", {{"a", 1}}}}));
  EXPECT_EQ(unframe(format_reply({{"a", 1}}, true)), json({{"parameters", {{"a", 1}}}, {"continues", true}}));
  EXPECT_EQ(unframe(format_error("io.systemd.UserDatabase.NoRecordFound")),
            json({{"error", "io.systemd.UserDatabase.NoRecordFound"}, {"parameters", json::object()}}));
}

TEST(UserdbVarlinkMessage, InvalidUtf8IsReplacedNotFatal) {
  const std::string message = format_reply({{"realName", std::string("caf\xe9")}});
  EXPECT_NE(message.find("caf\xef\xbf\xbd"), std::string::npos);
}

TEST(UserdbVarlinkMessage, ReaderSplitsAStreamAtNulBytes) {
  MessageReader reader;
  std::string message;
  reader.feed(std::string_view("{\"a\":1}\0{\"b\"", 12));
  ASSERT_TRUE(reader.next(message));
  EXPECT_EQ(message, "{\"a\":1}");
  EXPECT_FALSE(reader.next(message));
  reader.feed(std::string_view(":2}\0", 4));
  ASSERT_TRUE(reader.next(message));
  EXPECT_EQ(message, "{\"b\":2}");
  EXPECT_TRUE(reader.empty());
}

TEST(UserdbVarlinkMessage, ReaderRefusesAnOversizedMessage) {
  MessageReader reader(16);
  EXPECT_THROW(reader.feed(std::string(17, 'x')), ProtocolError);
  MessageReader bounded;
  EXPECT_THROW(bounded.feed(std::string(kMaxMessageBytes + 1, ' ')), ProtocolError);
  MessageReader exact(16);
  EXPECT_NO_THROW(exact.feed(std::string(16, 'x')));
}

}  // namespace
}  // namespace usersctl::userdb
