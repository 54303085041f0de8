// Membership events of large groups (issue 20): `group add`/`group set` with many members write
// one event per member that carries the member and the count, never the whole member list (which
// made 20,000 members cost 3.6 GB of events and 12.7 GB of memory). No timing is asserted; the
// peak memory of the 20,000-member add is bounded at 1 GiB (measured: about 130 MB on either
// backend, about 6 KB a member: each change keeps its user record until the commit).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

// Runs usersctl under python3, which prints the peak resident memory of its child (KiB, from
// getrusage) as the last line of stderr: the runner itself keeps no rusage of the process.
constexpr const char* kPeakRss =
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n";

// 12.7 GB before the fix, about 130 MB after it; sanitizer builds need a few times that.
constexpr std::int64_t kMaxPeakRssKib = 1024 * 1024;

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

  // `usersctl --db URL args...`, and its peak resident memory in KiB (-1 when none was printed).
  std::pair<RunResult, std::int64_t> cli_measured(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"-c", kPeakRss, usersctl_binary(), "--db", db_url()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;  // no timing is asserted: a loaded machine may take minutes
    options.timeout = std::chrono::minutes(10);
    options.replace_env = env();
    RunResult r = run_process("/usr/bin/python3", argv, options);
    const auto lines = split_lines(r.err);
    std::int64_t kib = -1;
    if (!lines.empty() && !lines.back().empty() &&
        lines.back().find_first_not_of("0123456789") == std::string::npos) {
      kib = std::stoll(lines.back());
    }
    return {r, kib};
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
  const auto [added_run, peak_kib] = cli_measured(add_args);
  ASSERT_EQ(added_run.exit_code, 0) << added_run.err.substr(0, 2000);
  ASSERT_GT(peak_kib, 0) << added_run.err.substr(0, 2000);
  EXPECT_LT(peak_kib, kMaxPeakRssKib) << "peak KiB of group add with " << kMembers << " members";
  EXPECT_EQ(show_group("big")["members"].size(), static_cast<std::size_t>(kMembers));
  auto added = events_of("group.member_added", since);
  expect_small_membership_events(added, kMembers, 1, 1);

  // set down to the first half: one small member_removed event per member that left.
  since = last_sequence();
  std::vector<std::string> set_args{"-q", "group", "set", "big"};
  set_args.insert(set_args.end(), names.begin(), names.begin() + kMembers / 2);
  RunOptions slow;
  slow.timeout = std::chrono::minutes(10);
  const RunResult set_run = cli_with(set_args, slow);
  ASSERT_EQ(set_run.exit_code, 0) << set_run.err.substr(0, 2000);
  auto removed = events_of("group.member_removed", since);
  expect_small_membership_events(removed, kMembers / 2, kMembers - 1, -1);
  EXPECT_EQ(removed.back()["data"]["group"]["member_count"], kMembers / 2);
  EXPECT_EQ(show_group("big")["members"].size(), static_cast<std::size_t>(kMembers / 2));
}

}  // namespace
}  // namespace usersctl::e2e
