// Hooks that can be managed (issue 15): ids never reused, names (--name, --if-not-exists, ID|NAME on
// every command), disable/enable (also after a 410) with redelivery, `events deliver` not held at 7
// by a disabled hook's leftovers, `events status` showing the next try, strict --secret-file
// contents, and a hanging exec hook holding a command at most 2 s. A real HTTP receiver on
// 127.0.0.1 (webhook_receiver.py) and real exec hooks; no mocks.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "hook_queries.hpp"
#include "test_files.hpp"
#include "util/base64.hpp"
#include "webhook_receiver_process.hpp"

namespace usersctl::e2e {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The Standard Webhooks example secret: 24 key bytes.
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-22T10:00:00.123Z" as Unix milliseconds; -1 when it is not that form.
std::int64_t parse_rfc3339_ms(const std::string& text) {
  if (!is_rfc3339_utc(text) || text.size() != 24) return -1;
  std::tm utc{};
  if (::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &utc) == nullptr) return -1;
  return static_cast<std::int64_t>(::timegm(&utc)) * 1000 + std::stoi(text.substr(20, 3));
}

// Refused with `code`, one line on stderr only (no hint line), stdout empty.
::testing::AssertionResult RefusedInOneLine(const RunResult& r, int code, const std::string& mentions) {
  if (!Failed(r, code, mentions)) return Failed(r, code, mentions);
  if (split_lines(r.err).size() != 1) return ::testing::AssertionFailure() << "more than one line; " << r;
  return ::testing::AssertionSuccess();
}

class HookManagementTest : public E2eTest {
 protected:
  std::vector<json> hooks() const { return list_hooks(*this); }
  json status_of(std::int64_t hook) const { return hook_status(*this, hook); }
  std::string secret_file(const std::string& name, const std::string& content) const {
    const fs::path path = temp_dir() / name;
    write_file(path, content);
    return path.string();
  }
  std::string dead_url() const { return "http://127.0.0.1:" + std::to_string(unused_port()) + "/hook"; }
};
USERSCTL_E2E_INSTANTIATE(HookManagementTest);

// ---- Ids ----

TEST_P(HookManagementTest, HookIdsAreNeverReusedSoAnOldIdNeverReachesANewHook) {
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--exec", "cat >/dev/null"})));
  const RunResult second = cli({"hook", "add", "--exec", "cat >/dev/null # two"});
  ASSERT_TRUE(MutationSucceeded(second));
  EXPECT_EQ(second.err, "usersctl: added hook 2\n");
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "remove", "2"})));
  // The highest id was removed: a new hook still gets a new one.
  const RunResult third = cli({"hook", "add", "--exec", "cat >/dev/null # three"});
  ASSERT_TRUE(MutationSucceeded(third));
  EXPECT_EQ(third.err, "usersctl: added hook 3\n");
  EXPECT_TRUE(Failed(cli({"hook", "remove", "2"}), 3, "2")) << "the old id reaches nothing";
  EXPECT_TRUE(Failed(cli({"hook", "show", "2"}), 3));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "remove", "3"})));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "remove", "1"})));
  const RunResult fourth = cli({"hook", "add", "--exec", "cat >/dev/null # four"});
  EXPECT_EQ(fourth.err, "usersctl: added hook 4\n") << "not even when every hook was removed";
  const auto list = hooks();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].value("id", -1), 4);
  EXPECT_EQ(list[0].value("target", ""), "cat >/dev/null # four");
}

// ---- Names ----

TEST_P(HookManagementTest, HookAddWithANameIsUniqueAndIfNotExistsMakesItIdempotent) {
  const std::string url = dead_url();
  const RunResult added = cli({"hook", "add", "--name", "crm", "--url", url, "--types", "user.*"});
  ASSERT_TRUE(MutationSucceeded(added));
  EXPECT_EQ(added.err, "usersctl: added hook 1 (crm)\n");
  const RunResult before = cli({"hook", "list", "-o", "json"});
  ASSERT_TRUE(Succeeded(before));

  // Taken without --if-not-exists: a conflict, nothing added.
  const RunResult again = cli({"hook", "add", "--name", "crm", "--url", url, "--types", "user.*"});
  EXPECT_TRUE(Failed(again, 4, "hook 1 (crm) already exists"));
  // With it: exit 0, the existing hook named, nothing changed.
  const RunResult idempotent =
      cli({"hook", "add", "--name", "crm", "--url", url, "--types", "user.*", "--if-not-exists"});
  EXPECT_EQ(idempotent.exit_code, 0) << idempotent;
  EXPECT_EQ(idempotent.out, "");
  EXPECT_EQ(idempotent.err, "usersctl: hook 1 (crm) already exists; nothing changed\n");
  // The same name with another definition: still unchanged, and it says so.
  const RunResult different = cli({"hook", "add", "--name", "crm", "--exec", "cat", "--if-not-exists"});
  EXPECT_EQ(different.exit_code, 0) << different;
  EXPECT_EQ(different.out, "");
  EXPECT_NE(different.err.find("usersctl: warning: hook 1 (crm) differs from this request"),
            std::string::npos)
      << different;
  EXPECT_EQ(cli({"hook", "list", "-o", "json"}).out, before.out) << "nothing changed";

  // Bad names and --if-not-exists without a name are refused, and add nothing.
  EXPECT_TRUE(Failed(cli({"hook", "add", "--name", "CRM", "--url", url}), 5, "hook name"));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--name", "9lives", "--url", url}), 5, "hook name"));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", url, "--if-not-exists"}), 2, "--name"));
  EXPECT_EQ(cli({"hook", "list", "-o", "json"}).out, before.out);

  // Unnamed hooks have a null name; list shows names in every format.
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--exec", "cat >/dev/null"})));
  auto list = hooks();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].value("name", ""), "crm");
  EXPECT_TRUE(list[1]["name"].is_null()) << list[1].dump();
  const RunResult table = cli_on_terminal({"hook", "list"});
  EXPECT_TRUE(Succeeded(table));
  EXPECT_EQ(table.out.rfind("ID  NAME  KIND", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("crm"), std::string::npos) << table.out;
  const RunResult csv = cli({"hook", "list", "-o", "csv"});
  EXPECT_EQ(split_lines(csv.out).at(0),
            "id,name,kind,target,types,timeout,signed,disabled,created_at,created_by,exclude_actor,old_"
            "secret_until");
  EXPECT_NE(csv.out.find("1,crm,url,"), std::string::npos) << csv.out;
  EXPECT_EQ(cli({"events", "list"}).out, "") << "hook configuration emits no events";
}

TEST_P(HookManagementTest, EveryHookCommandTakesTheIdOrTheName) {
  const fs::path out = temp_dir() / "audit.jsonl";
  ASSERT_TRUE(
      MutationSucceeded(cli({"hook", "add", "--name", "audit", "--exec", "cat >> " + shell_quote(out)})));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "other", "--exec", "cat >/dev/null"})));

  const RunResult by_name = cli({"hook", "show", "audit", "-o", "json"});
  ASSERT_TRUE(Succeeded(by_name));
  json shown = parse_json(by_name.out);
  EXPECT_EQ(shown.value("id", -1), 1);
  EXPECT_EQ(shown.value("name", ""), "audit");
  EXPECT_EQ(shown.value("kind", ""), "exec");
  EXPECT_EQ(cli({"hook", "show", "1", "-o", "json"}).out, by_name.out);

  const RunResult tested = cli({"hook", "test", "audit"});
  EXPECT_TRUE(Succeeded(tested));
  EXPECT_EQ(tested.err, "usersctl: hook 1 (audit) accepted the test event\n");
  EXPECT_NE(read_file(out).find("usersctl.hook.test"), std::string::npos);

  EXPECT_TRUE(MutationSucceeded(cli({"hook", "disable", "audit"})));
  EXPECT_EQ(parse_json(cli({"hook", "show", "1", "-o", "json"}).out).value("disabled", false), true);
  EXPECT_TRUE(MutationSucceeded(cli({"hook", "enable", "1"})));
  EXPECT_EQ(parse_json(cli({"hook", "show", "audit", "-o", "json"}).out).value("disabled", true), false);

  const RunResult removed = cli({"hook", "remove", "audit"});
  EXPECT_TRUE(MutationSucceeded(removed));
  EXPECT_EQ(removed.err, "usersctl: removed hook 1 (audit)\n");
  for (const std::string command : {"show", "remove", "test", "disable", "enable"}) {
    EXPECT_TRUE(Failed(cli({"hook", command, "audit"}), 3, "audit")) << command;
    EXPECT_TRUE(Failed(cli({"hook", command, "1"}), 3)) << command;
    EXPECT_TRUE(Failed(cli({"hook", command, "Not A Name"}), 2, "neither a hook id nor a hook name"))
        << command;
    EXPECT_TRUE(Failed(cli({"hook", command}), 2)) << command;
  }
  const auto list = hooks();
  ASSERT_EQ(list.size(), 1u) << "the refusals changed nothing";
  EXPECT_EQ(list[0].value("name", ""), "other");
  EXPECT_EQ(list[0].value("disabled", true), false);
}

// ---- Disable and enable ----

TEST_P(HookManagementTest, ADisabledHookGetsNothingHoldsItsPendingDeliveriesAndResumesWhenEnabled) {
  const int port = unused_port();
  ASSERT_GT(port, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/ok";
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "crm", "--url", url})));
  const RunResult bob = cli({"add", "bob"});
  EXPECT_EQ(bob.exit_code, 0) << bob;
  EXPECT_NE(bob.err.find("delivery failed: hook 1 (crm: http://127.0.0.1:"), std::string::npos) << bob;
  EXPECT_EQ(cli({"events", "deliver", "--now"}).exit_code, 7) << "pending for an enabled hook";

  const RunResult disabled = cli({"hook", "disable", "crm"});
  EXPECT_TRUE(MutationSucceeded(disabled));
  EXPECT_EQ(disabled.err.rfind("usersctl: disabled hook 1 (crm)", 0), 0u) << disabled;
  const RunResult twice = cli({"hook", "disable", "1"});
  EXPECT_TRUE(MutationSucceeded(twice));
  EXPECT_EQ(twice.err, "usersctl: hook 1 (crm) is already disabled; nothing to do\n");

  // Its leftovers no longer hold `events deliver` at 7; a change while disabled queues nothing.
  const RunResult deliver = cli({"events", "deliver", "--now"});
  EXPECT_EQ(deliver.exit_code, 0) << deliver;
  EXPECT_EQ(deliver.err, "usersctl: delivered 0; pending 0, failed 0; 1 held by disabled hooks\n");
  EXPECT_TRUE(MutationSucceeded(cli({"add", "carol"}))) << "no delivery tried, no warning";
  json status = status_of(1);
  EXPECT_EQ(status.value("disabled", false), true) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 1)
      << "bob's event waits; carol's was never queued " << status.dump();
  EXPECT_TRUE(status["next_attempt"].is_null()) << "a disabled hook tries nothing " << status.dump();

  WebhookReceiver receiver(temp_dir(), "rx", "", port);
  ASSERT_TRUE(receiver.listening()) << receiver.stderr_text();
  const RunResult enabled = cli({"hook", "enable", "crm"});
  EXPECT_TRUE(MutationSucceeded(enabled, 2));
  EXPECT_EQ(enabled.err,
            "usersctl: enabled hook 1 (crm)\n"
            "usersctl: it has 1 pending delivery; 'usersctl events deliver' sends them, oldest first\n");
  EXPECT_EQ(cli({"hook", "enable", "crm"}).err, "usersctl: hook 1 (crm) is already enabled; nothing to do\n");
  const RunResult resumed = cli({"events", "deliver", "--now"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed;
  const auto requests = receiver.wait_for_requests(1);
  ASSERT_EQ(requests.size(), 1u);
  json body = json::parse(requests[0]["body"].get<std::string>());
  EXPECT_EQ(body["subject"], "users/bob") << body.dump();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver.requests().size(), 1u) << "carol's change came while it was disabled";
  status = status_of(1);
  EXPECT_EQ(status.value("delivered", -1), 1) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
  EXPECT_TRUE(MutationSucceeded(cli({"add", "dave"}))) << "enabled: delivered right after the change";
  EXPECT_EQ(receiver.wait_for_requests(2).size(), 2u);
}

// Issue 20: a 410 disables the hook as `hook disable` does and drops nothing. The deliveries it had
// pending (the one answered 410 first) wait; `hook enable` and one `events deliver` send them all,
// in order, with no `events redeliver --failed` (which would requeue other hooks' failures too).
TEST_P(HookManagementTest, AHookDisabledByA410CanBeEnabledAndItsPendingDeliveriesAreSentInOrder) {
  const int port = unused_port();
  const std::string secret = secret_file("whsec", kSecret + "\n");
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/gone/1";
  ASSERT_TRUE(
      MutationSucceeded(cli({"hook", "add", "--name", "crm", "--url", url, "--secret-file", secret})));
  // Nothing listens yet: bob's, carol's and dave's events wait for `events deliver`.
  for (const std::string name : {"bob", "carol", "dave"}) EXPECT_EQ(cli({"add", name}).exit_code, 0);
  ASSERT_EQ(status_of(1).value("pending", -1), 3);

  WebhookReceiver receiver(temp_dir(), "rx", kSecret, port);
  ASSERT_TRUE(receiver.listening());
  const RunResult gone = cli({"events", "deliver", "--now"});
  EXPECT_NE(gone.err.find("answered HTTP 410; the hook is now disabled"), std::string::npos) << gone;
  EXPECT_EQ(hooks().at(0).value("disabled", false), true);
  json status = status_of(1);
  EXPECT_EQ(status.value("pending", -1), 3) << "nothing dropped, nothing failed " << status.dump();
  EXPECT_EQ(status.value("failed", -1), 0) << status.dump();

  // Not exit 7 forever: the pending deliveries belong to a disabled hook.
  for (int round = 0; round < 2; ++round) {
    const RunResult deliver = cli({"events", "deliver"});
    EXPECT_EQ(deliver.exit_code, 0) << deliver;
    EXPECT_EQ(deliver.err, "usersctl: delivered 0; pending 0, failed 0; 3 held by disabled hooks\n");
  }
  EXPECT_TRUE(MutationSucceeded(cli({"add", "erin"}))) << "disabled: erin's change is not queued for it";

  const RunResult enabled = cli({"hook", "enable", "crm"});
  EXPECT_EQ(enabled.exit_code, 0) << enabled;
  EXPECT_EQ(enabled.err,
            "usersctl: enabled hook 1 (crm)\n"
            "usersctl: it has 3 pending deliveries; 'usersctl events deliver' sends them, oldest first\n");
  const RunResult deliver = cli({"events", "deliver"});
  EXPECT_EQ(deliver.exit_code, 0) << deliver;
  EXPECT_EQ(deliver.err, "usersctl: delivered 3; pending 0, failed 0\n");
  const auto requests = receiver.wait_for_requests(4);
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0]["status"], 410);
  std::vector<std::string> subjects;
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i]["status"], 204);
    EXPECT_EQ(requests[i]["signature_ok"], true);
    subjects.push_back(json::parse(requests[i]["body"].get<std::string>()).value("subject", ""));
  }
  EXPECT_EQ(subjects, (std::vector<std::string>{"users/bob", "users/carol", "users/dave"}));
  EXPECT_EQ(requests[1]["headers"]["webhook-id"], requests[0]["headers"]["webhook-id"])
      << "410'd event first";
  status = status_of(1);
  EXPECT_EQ(status.value("delivered", -1), 3) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
}

TEST_P(HookManagementTest, EventsDeliverIsNotHeldAt7ByARemovedHooksLeftovers) {
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "dead", "--url", dead_url()})));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "log", "--exec", "cat >/dev/null"})));
  EXPECT_EQ(cli({"add", "bob"}).exit_code, 0);
  EXPECT_EQ(cli({"events", "deliver", "--now"}).exit_code, 7);
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "remove", "dead"})));
  const RunResult deliver = cli({"events", "deliver", "--now"});
  EXPECT_EQ(deliver.exit_code, 0) << deliver;
  EXPECT_EQ(deliver.err, "usersctl: delivered 0; pending 0, failed 0\n");
  const RunResult status = cli({"events", "status"});
  const auto records = parse_jsonl(status.out);
  ASSERT_EQ(records.size(), 1u) << status;
  EXPECT_EQ(records[0]["name"], "log");
}

// ---- events status: when the next try is ----

TEST_P(HookManagementTest, EventsStatusShowsWhenTheNextTryIsDue) {
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "dead", "--url", dead_url()})));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "log", "--exec", "cat >/dev/null"})));
  const std::int64_t before = unix_ms_now();
  EXPECT_EQ(cli({"add", "bob"}).exit_code, 0);
  const std::int64_t after = unix_ms_now();

  json dead = status_of(1);
  EXPECT_EQ(dead.value("name", ""), "dead");
  EXPECT_EQ(dead.value("disabled", true), false);
  EXPECT_EQ(dead.value("pending", -1), 1) << dead.dump();
  const std::int64_t next = parse_rfc3339_ms(dead.value("next_attempt", ""));
  // One failed attempt: the next one about 5 s later (±20%).
  EXPECT_GE(next, before + 3900) << dead.dump();
  EXPECT_LE(next, after + 6100) << dead.dump();
  json log = status_of(2);
  EXPECT_TRUE(log["next_attempt"].is_null()) << "nothing pending, nothing to try " << log.dump();

  EXPECT_EQ(cli({"events", "deliver", "--now"}).exit_code, 7);
  dead = status_of(1);
  EXPECT_GE(parse_rfc3339_ms(dead.value("next_attempt", "")), unix_ms_now() + 200 * 1000)
      << "after a second failure about 5 minutes " << dead.dump();

  const RunResult csv = cli({"events", "status", "-o", "csv"});
  EXPECT_EQ(split_lines(csv.out).at(0),
            "hook,name,disabled,pending,failed,delivered,next_attempt,last_error");
}

// ---- --secret-file ----

TEST_P(HookManagementTest, SecretFileMustHoldAStandardWebhooksSecretOrRawBytesWithSecretFormatRaw) {
  const std::string url = "http://127.0.0.1:9/hook";
  ASSERT_TRUE(Succeeded(cli({"add", "seed"})));  // the database exists, so `hook list` can show it empty
  auto add = [&](const std::string& file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"hook", "add", "--url", url, "--secret-file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  };
  const std::string key23(23, 'k');
  const std::string key64(64, 'k');
  const std::string key65(65, 'k');
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("plain", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")), 5,
                               "not a Standard Webhooks secret"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("plain", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")), 5,
                               "--secret-format raw"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("junk", "whsec_***not base64***\n")), 5, "not valid base64"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("short", "whsec_" + util::base64_encode(key23))), 5,
                               "the key is 23 bytes"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("long", "whsec_" + util::base64_encode(key65))), 5,
                               "the key is 65 bytes"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("empty", "\n")), 5, "empty"));
  EXPECT_TRUE(RefusedInOneLine(add(secret_file("raw-short", "0123456789"), {"--secret-format", "raw"}), 5,
                               "the key is 10 bytes"));
  EXPECT_TRUE(Failed(add(secret_file("ok", kSecret), {"--secret-format", "hex"}), 2));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", url, "--secret-format", "raw"}), 2));
  EXPECT_TRUE(hooks().empty()) << "every refusal added nothing";

  EXPECT_TRUE(MutationSucceeded(add(secret_file("ok", kSecret + "\n"))));
  EXPECT_TRUE(MutationSucceeded(add(secret_file("unpadded", "whsec_" + util::base64_encode(key64)))));
  EXPECT_EQ(hooks().size(), 2u);
}

TEST_P(HookManagementTest, ARawKeyFileSignsWithExactlyItsBytes) {
  // 32 bytes, among them a NUL, a newline at the end and bytes that are not UTF-8: all key.
  std::string raw = "raw-key\x01\xff\xfe";
  raw.push_back('\0');
  raw += "0123456789abcdefghij\n";
  ASSERT_EQ(raw.size(), 32u);
  WebhookReceiver receiver(temp_dir(), "rx", "whsec_" + util::base64_encode(raw));
  ASSERT_TRUE(receiver.listening());
  const std::string file = secret_file("raw", raw);
  ASSERT_TRUE(MutationSucceeded(
      cli({"hook", "add", "--url", receiver.url("/ok"), "--secret-file", file, "--secret-format", "raw"})));
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob"}))) << "delivered, so signed with the raw key";
  const auto requests = receiver.wait_for_requests(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["signature_ok"], true) << requests[0].dump();
  EXPECT_EQ(requests[0]["status"], 204);
  EXPECT_EQ(hooks().at(0).value("signed", false), true);
}

// ---- A hanging exec hook ----

TEST_P(HookManagementTest, HangingExecHooksHoldTheCommandAtMostTwoSecondsInAll) {
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "hang", "--exec", "sleep 30"})));
  ASSERT_TRUE(MutationSucceeded(cli({"hook", "add", "--name", "hang2", "--exec", "sleep 30"})));
  const auto start = Clock::now();
  const RunResult r = cli({"add", "bob"});
  const auto elapsed = Clock::now() - start;
  EXPECT_LT(elapsed, 3500ms) << "2 s for all hooks together, not 2 s each";
  EXPECT_GE(elapsed, 1900ms) << "the first hook had its 2 s";
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  const auto lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 3u) << r;
  EXPECT_EQ(lines[0].rfind("usersctl: created user", 0), 0u) << r;
  EXPECT_EQ(lines[1],
            "usersctl: warning: delivery postponed: hook 1 (hang: sleep 30) did not finish within the 2 s "
            "allowed right after a change; it stays pending for 'usersctl events deliver'");
  EXPECT_EQ(lines[2],
            "usersctl: warning: delivery postponed: hook 2 (hang2: sleep 30) was not tried: the 2 s for "
            "deliveries were used up; it stays pending for 'usersctl events deliver'");
  EXPECT_EQ(show_user("bob").value("username", ""), "bob") << "committed";
  for (const std::int64_t hook : {1, 2}) {
    json status = status_of(hook);
    EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
    EXPECT_LE(parse_rfc3339_ms(status.value("next_attempt", "")), unix_ms_now())
        << "not counted as a failed attempt: due now, for events deliver " << status.dump();
  }
}

TEST_P(HookManagementTest, EventsDeliverGivesASlowExecHookItsFullTimeout) {
  const fs::path out = temp_dir() / "slow.jsonl";
  ASSERT_TRUE(MutationSucceeded(
      cli({"hook", "add", "--name", "slow", "--exec", "sleep 3; cat >> " + shell_quote(out.string())})));
  const auto start = Clock::now();
  const RunResult r = cli({"add", "bob"});
  EXPECT_LT(Clock::now() - start, 3500ms);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.err.find("delivery postponed: hook 1 (slow: sleep 3;"), std::string::npos) << r;
  EXPECT_FALSE(fs::exists(out) && !read_file(out).empty()) << "cut short before it wrote anything";

  const auto deliver_start = Clock::now();
  const RunResult deliver = cli({"events", "deliver"});
  EXPECT_GE(Clock::now() - deliver_start, 2900ms) << "it waited for the hook";
  EXPECT_EQ(deliver.exit_code, 0) << deliver;
  EXPECT_EQ(deliver.err, "usersctl: delivered 1; pending 0, failed 0\n");
  const auto received = parse_jsonl(read_file(out));
  ASSERT_EQ(received.size(), 1u) << "delivered once";
  EXPECT_EQ(received[0]["subject"], "users/bob");
}

}  // namespace
}  // namespace usersctl::e2e
