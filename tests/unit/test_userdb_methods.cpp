#include <gtest/gtest.h>

#include "../userdb/fixed_account_source.hpp"
#include "userdb/userdb_methods.hpp"

namespace usersctl::userdb {
namespace {

using nlohmann::json;
constexpr const char* kService = "io.usersctl.UserDatabase";

class CollectingSink : public ReplySink {
 public:
  bool send(std::string message) override {
    replies.push_back(json::parse(message.substr(0, message.size() - 1)));
    return replies.size() < limit;
  }
  std::vector<json> replies;
  std::size_t limit = 1000;
};

class UserdbMethods : public ::testing::Test {
 protected:
  std::vector<json> call(const std::string& method, json parameters, bool more = false,
                         std::optional<std::uint32_t> peer = 0u) {
    Request request{"io.systemd.UserDatabase." + method, std::move(parameters), more, false};
    CollectingSink sink;
    dispatch(request, {kService, peer}, source, sink);
    return sink.replies;
  }
  static std::string error_of(const std::vector<json>& replies) {
    return replies.size() == 1 && replies[0].contains("error") ? replies[0]["error"].get<std::string>() : "";
  }

  testing::FixedAccountSource source = testing::sample_source();
};

TEST_F(UserdbMethods, UserByNameAndByUid) {
  auto by_name = call("GetUserRecord", {{"userName", "alice"}, {"service", kService}});
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_FALSE(by_name[0].contains("continues"));
  EXPECT_EQ(by_name[0]["parameters"]["record"]["uid"], 60001);
  auto by_uid = call("GetUserRecord", {{"uid", 60002}, {"service", kService}});
  ASSERT_EQ(by_uid.size(), 1u);
  EXPECT_EQ(by_uid[0]["parameters"]["record"]["userName"], "bob");
  EXPECT_EQ(by_uid[0]["parameters"]["record"]["privileged"]["hashedPassword"][0], "!$6$bobsalt$bobhash");
}

TEST_F(UserdbMethods, NameAndUidThatDisagreeConflict) {
  EXPECT_EQ(error_of(call("GetUserRecord", {{"userName", "alice"}, {"uid", 60002}, {"service", kService}})),
            "io.systemd.UserDatabase.ConflictingRecordFound");
  EXPECT_EQ(call("GetUserRecord", {{"userName", "alice"}, {"uid", 60001}, {"service", kService}}).size(), 1u);
  EXPECT_EQ(error_of(call("GetGroupRecord", {{"groupName", "devs"}, {"gid", 60001}, {"service", kService}})),
            "io.systemd.UserDatabase.ConflictingRecordFound");
}

TEST_F(UserdbMethods, UnknownRecordsAreNotFound) {
  EXPECT_EQ(error_of(call("GetUserRecord", {{"userName", "carol"}, {"service", kService}})),
            "io.systemd.UserDatabase.NoRecordFound");
  EXPECT_EQ(error_of(call("GetGroupRecord", {{"gid", 7}, {"service", kService}})),
            "io.systemd.UserDatabase.NoRecordFound");
}

TEST_F(UserdbMethods, ServiceMustBeOurs) {
  EXPECT_EQ(error_of(call("GetUserRecord", {{"userName", "alice"}, {"service", "io.systemd.Home"}})),
            "io.systemd.UserDatabase.BadService");
  EXPECT_EQ(error_of(call("GetUserRecord", {{"userName", "alice"}})), "io.systemd.UserDatabase.BadService");
  EXPECT_EQ(error_of(call("GetMemberships", {{"userName", "alice"}}, true)),
            "io.systemd.UserDatabase.BadService");
}

TEST_F(UserdbMethods, BadParameterTypesAreNamed) {
  auto replies = call("GetUserRecord", {{"uid", "60001"}, {"service", kService}});
  EXPECT_EQ(error_of(replies), "org.varlink.service.InvalidParameter");
  EXPECT_EQ(replies[0]["parameters"]["parameter"], "uid");
  EXPECT_EQ(error_of(call("GetUserRecord", {{"uid", -1}, {"service", kService}})),
            "org.varlink.service.InvalidParameter");
  EXPECT_EQ(error_of(call("GetUserRecord", {{"uid", 4294967295u}, {"service", kService}})),
            "org.varlink.service.InvalidParameter");
}

TEST_F(UserdbMethods, EnumerationStreamsWithContinuesAndNeedsMore) {
  auto users = call("GetUserRecord", {{"service", kService}}, true);
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["continues"], true);
  EXPECT_FALSE(users[1].contains("continues"));
  EXPECT_EQ(users[1]["parameters"]["record"]["userName"], "bob");
  EXPECT_EQ(call("GetGroupRecord", {{"service", kService}}, true).size(), 3u);
  EXPECT_EQ(error_of(call("GetUserRecord", {{"service", kService}})), "org.varlink.service.ExpectedMore");
}

TEST_F(UserdbMethods, EmptyEnumerationIsNoRecordFound) {
  testing::FixedAccountSource empty({}, {});
  Request request{"io.systemd.UserDatabase.GetUserRecord", {{"service", kService}}, true, false};
  CollectingSink sink;
  dispatch(request, {kService, 0u}, empty, sink);
  EXPECT_EQ(error_of(sink.replies), "io.systemd.UserDatabase.NoRecordFound");
}

TEST_F(UserdbMethods, MembershipsByUserByGroupAndBoth) {
  auto of_alice = call("GetMemberships", {{"userName", "alice"}, {"service", kService}}, true);
  ASSERT_EQ(of_alice.size(), 2u);
  EXPECT_EQ(of_alice[0]["parameters"], json({{"userName", "alice"}, {"groupName", "alice"}}));
  EXPECT_EQ(of_alice[1]["parameters"], json({{"userName", "alice"}, {"groupName", "devs"}}));
  auto of_devs = call("GetMemberships", {{"groupName", "devs"}, {"service", kService}}, true);
  ASSERT_EQ(of_devs.size(), 1u);
  auto both = call("GetMemberships", {{"userName", "alice"}, {"groupName", "devs"}, {"service", kService}});
  ASSERT_EQ(both.size(), 1u);
  EXPECT_FALSE(both[0].contains("continues"));
  EXPECT_EQ(
      error_of(call("GetMemberships", {{"userName", "bob"}, {"groupName", "devs"}, {"service", kService}})),
      "io.systemd.UserDatabase.NoRecordFound");
  EXPECT_EQ(call("GetMemberships", {{"service", kService}}, true).size(), 3u);
}

TEST_F(UserdbMethods, PrivilegedSectionFollowsThePeer) {
  auto as_nobody = call("GetUserRecord", {{"userName", "alice"}, {"service", kService}}, false, 65534u);
  EXPECT_FALSE(as_nobody[0]["parameters"]["record"].contains("privileged"));
  EXPECT_EQ(as_nobody[0]["parameters"]["incomplete"], true);
  auto as_alice = call("GetUserRecord", {{"userName", "alice"}, {"service", kService}}, false, 60001u);
  EXPECT_TRUE(as_alice[0]["parameters"]["record"].contains("privileged"));
  auto unknown = call("GetUserRecord", {{"userName", "alice"}, {"service", kService}}, false, std::nullopt);
  EXPECT_FALSE(unknown[0]["parameters"]["record"].contains("privileged"));
}

TEST_F(UserdbMethods, UnavailableSourceIsServiceNotAvailable) {
  source.unavailable = true;
  EXPECT_EQ(error_of(call("GetUserRecord", {{"userName", "alice"}, {"service", kService}})),
            "io.systemd.UserDatabase.ServiceNotAvailable");
  EXPECT_EQ(error_of(call("GetUserRecord", {{"service", kService}}, true)),
            "io.systemd.UserDatabase.ServiceNotAvailable");
}

TEST_F(UserdbMethods, UnknownMethodAndGetInfo) {
  auto unknown = call("DeleteUser", {{"service", kService}});
  EXPECT_EQ(error_of(unknown), "org.varlink.service.MethodNotFound");
  EXPECT_EQ(unknown[0]["parameters"]["method"], "io.systemd.UserDatabase.DeleteUser");
  CollectingSink sink;
  dispatch({"org.varlink.service.GetInfo", json::object(), false, false}, {kService, 0u}, source, sink);
  ASSERT_EQ(sink.replies.size(), 1u);
  EXPECT_EQ(sink.replies[0]["parameters"]["interfaces"], json::array({"io.systemd.UserDatabase"}));
}

TEST_F(UserdbMethods, OnewayCallsGetNoReply) {
  CollectingSink sink;
  dispatch(
      {"io.systemd.UserDatabase.GetUserRecord", {{"userName", "alice"}, {"service", kService}}, false, true},
      {kService, 0u}, source, sink);
  EXPECT_TRUE(sink.replies.empty());
}

TEST_F(UserdbMethods, EnumerationStopsWhenTheSinkDoes) {
  CollectingSink sink;
  sink.limit = 1;
  dispatch({"io.systemd.UserDatabase.GetGroupRecord", {{"service", kService}}, true, false}, {kService, 0u},
           source, sink);
  EXPECT_EQ(sink.replies.size(), 1u);
}

}  // namespace
}  // namespace usersctl::userdb
