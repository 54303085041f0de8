// Membership events of large groups (issue 20): `group add`/`group set` with many members write
// one event per member that carries the member and the count, never the whole member list (which
// made 20,000 members cost 3.6 GB of events and 12.7 GB of memory). No timing is asserted.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class LargeGroupTest : public E2eTest {
 protected:
  // u0 … u<n-1>, imported in one command.
  std::vector<std::string> import_users(int n) {
    std::string lines;
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) {
      names.push_back("u" + std::to_string(i));
      lines += "{\"username\":\"" + names.back() + "\"}\n";
    }
    const RunResult imported = cli({"-q", "import", "-"}, lines);
    EXPECT_EQ(imported.exit_code, 0) << imported;
    return names;
  }

  // The events after `since` of `type`, as the feed has them (one JSON line each).
  std::vector<json> events_of(const std::string& type, std::int64_t since) {
    const RunResult r = cli({"events", "list", "--since", std::to_string(since), "--type", type});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return parse_jsonl(r.out);
  }

  std::int64_t last_sequence() {
    const RunResult r = cli({"events", "list"});
    const auto all = parse_jsonl(r.out);
    return all.empty() ? 0 : std::stoll(all.back().at("sequence").get<std::string>());
  }

  // Every event names its member and the count after its change; none carries the member list
  // and each one's data stays under 1 KB. `first_count` is the first event's count.
  void expect_small_membership_events(std::vector<json>& events, std::size_t expected,
                                      std::int64_t first_count, std::int64_t step) {
    ASSERT_EQ(events.size(), expected);
    std::int64_t count = first_count;
    for (std::size_t i = 0; i < events.size(); ++i) {
      json& data = events[i]["data"];
      ASSERT_LT(data.dump().size(), 1024u) << "event " << i << " is too big";
      ASSERT_FALSE(data["group"].contains("members")) << data.dump();
      ASSERT_EQ(data["group"].value("member_count", std::int64_t{-1}), count) << data.dump();
      ASSERT_FALSE(data["user"].value("username", "").empty()) << data.dump();
      count += step;
    }
  }
};
USERSCTL_E2E_INSTANTIATE(LargeGroupTest);

TEST_P(LargeGroupTest, MembershipEventsCarryTheMemberAndTheCountNotTheWholeList) {
  const auto names = import_users(100);
  add_group("small");
  std::int64_t since = last_sequence();
  std::vector<std::string> add_args{"-q", "group", "add", "small"};
  add_args.insert(add_args.end(), names.begin(), names.end());
  ASSERT_EQ(cli(add_args).exit_code, 0);
  auto added = events_of("group.member_added", since);
  expect_small_membership_events(added, 100, 1, 1);
  EXPECT_EQ(added.front()["data"]["user"]["username"], "u0");
  EXPECT_EQ(added.back()["data"]["user"]["username"], "u99");
}

TEST_P(LargeGroupTest, AGroupOfTwentyThousandMembersWritesOneSmallEventPerMember) {
  constexpr int kMembers = 20000;
  const auto names = import_users(kMembers);
  add_group("big");
  std::int64_t since = last_sequence();

  std::vector<std::string> add_args{"-q", "group", "add", "big"};
  add_args.insert(add_args.end(), names.begin(), names.end());
  RunOptions slow;  // no timing is asserted: a loaded machine may take minutes, not the default 2
  slow.timeout = std::chrono::minutes(10);
  const RunResult added_run = cli_with(add_args, slow);
  ASSERT_EQ(added_run.exit_code, 0) << added_run.err.substr(0, 2000);
  EXPECT_EQ(show_group("big")["members"].size(), static_cast<std::size_t>(kMembers));
  auto added = events_of("group.member_added", since);
  expect_small_membership_events(added, kMembers, 1, 1);

  // set down to the first half: one small member_removed event per member that left.
  since = last_sequence();
  std::vector<std::string> set_args{"-q", "group", "set", "big"};
  set_args.insert(set_args.end(), names.begin(), names.begin() + kMembers / 2);
  const RunResult set_run = cli_with(set_args, slow);
  ASSERT_EQ(set_run.exit_code, 0) << set_run.err.substr(0, 2000);
  auto removed = events_of("group.member_removed", since);
  expect_small_membership_events(removed, kMembers / 2, kMembers - 1, -1);
  EXPECT_EQ(removed.back()["data"]["group"]["member_count"], kMembers / 2);
  EXPECT_EQ(show_group("big")["members"].size(), static_cast<std::size_t>(kMembers / 2));
}

}  // namespace
}  // namespace usersctl::e2e
