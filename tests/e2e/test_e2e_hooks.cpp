// Delivery of events to hooks (issue 4, the man page (EVENT FORMAT)): signed webhooks checked by a real HTTP
// receiver on 127.0.0.1 that verifies signatures with its own code (webhook_receiver.py), retries,
// backoff, Retry-After, 410, timeouts, refused connections, exec hooks, and `hook` commands.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <latch>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "hook_queries.hpp"
#include "test_files.hpp"
#include "webhook_receiver_process.hpp"

namespace usersctl::e2e {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The Standard Webhooks example secret (base64 key after whsec_).
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// run_process takes a path, not a name to look up in PATH.
const std::string& python3() {
  static const std::string path = [] {
    const char* search = std::getenv("PATH");
    std::stringstream dirs(search != nullptr ? search : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const fs::path candidate = fs::path(dir) / "python3";
      if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return std::string("/usr/bin/python3");
  }();
  return path;
}

std::int64_t sequence_of(const json& event) {
  if (!event.is_object() || !event.contains("sequence") || !event.at("sequence").is_string()) {
    ADD_FAILURE() << "event without a string sequence: " << event.dump();
    return -1;
  }
  return std::stoll(event.at("sequence").get<std::string>());
}

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// POSTs `body` with `headers` to `url` from a separate client (python3's urllib), bypassing usersctl.
// Returns the HTTP status, or -1.
int post_raw(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
             const std::string& body) {
  static const std::string script = R"(
import json, sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(),
                                 headers=json.loads(sys.argv[2]), method="POST")
try:
    print(urllib.request.urlopen(request, timeout=10).status)
except urllib.error.HTTPError as error:
    print(error.code)
)";
  json header_object = json::object();
  for (const auto& [name, value] : headers) header_object[name] = value;
  RunOptions options;
  options.stdin_data = body;
  options.timeout = 20s;
  const RunResult r = run_process(python3(), {"-c", script, url, header_object.dump()}, options);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "post_raw: " << r;
    return -1;
  }
  return std::stoi(r.out);
}

// A committed change whose delivery failed: exit 0, nothing on stdout, the confirmation line, and a
// `usersctl: warning: delivery failed|postponed: …` line mentioning `mentions`; no error.
::testing::AssertionResult CommittedWithDeliveryWarning(const RunResult& r,
                                                        const std::string& mentions = {}) {
  if (r.exit_code != 0) return ::testing::AssertionFailure() << "expected exit 0; got " << r;
  if (!r.out.empty()) return ::testing::AssertionFailure() << "stdout must stay empty; " << r;
  if (r.err.find("usersctl: error") != std::string::npos) {
    return ::testing::AssertionFailure() << "an error on stderr; " << r;
  }
  const auto lines = split_lines(r.err);
  if (lines.size() < 2 || lines[0].rfind("usersctl: warning", 0) == 0) {
    return ::testing::AssertionFailure() << "expected the confirmation line, then a warning; " << r;
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].rfind("usersctl: warning: delivery failed: ", 0) != 0 &&
        lines[i].rfind("usersctl: warning: delivery postponed: ", 0) != 0) {
      return ::testing::AssertionFailure() << "unexpected stderr line '" << lines[i] << "'; " << r;
    }
    if (lines[i].find(mentions) != std::string::npos) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no delivery warning mentions '" << mentions << "'; " << r;
}

class HooksTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    secret_file_ = temp_dir() / "whsec";
    write_file(secret_file_, kSecret + "\n");
  }

  // hook add ARGS...; returns the new hook's id (from hook list).
  std::int64_t add_hook(std::vector<std::string> args) const {
    args.insert(args.begin(), {"hook", "add"});
    const RunResult r = cli(args);
    EXPECT_TRUE(MutationSucceeded(r)) << "hook add";
    const auto hooks = hook_list();
    if (hooks.empty()) return -1;
    json last = hooks.back();
    return last.value("id", std::int64_t{-1});
  }
  std::int64_t add_signed_webhook(const std::string& url, std::vector<std::string> extra = {}) const {
    extra.insert(extra.begin(), {"--url", url, "--secret-file", secret_file_.string()});
    return add_hook(extra);
  }

  std::vector<json> hook_list() const { return list_hooks(*this); }

  std::vector<json> feed() const {
    const RunResult r = cli({"events", "list"});
    EXPECT_TRUE(Succeeded(r)) << "events list";
    return parse_jsonl(r.out);
  }

  // The `events status` record of one hook (an empty object when it has none).
  json status_of(std::int64_t hook) const { return hook_status(*this, hook); }

  // `events deliver [--now]`: checks the streams, returns the exit code.
  int deliver(bool now) const {
    std::vector<std::string> args{"events", "deliver"};
    if (now) args.push_back("--now");
    const RunResult r = cli(args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 7) << r;
    EXPECT_EQ(r.out, "") << "deliver prints its summary on stderr" << r;
    EXPECT_EQ(r.err.find("usersctl: error"), std::string::npos) << r;
    return r.exit_code;
  }

  fs::path secret_file_;
};
USERSCTL_E2E_INSTANTIATE(HooksTest);

// ---- The receiver itself: it must really check, or the webhook tests prove nothing ----

TEST_P(HooksTest, ReceiverVerifierAcceptsTheStandardWebhooksVectorAndRejectsAnyChange) {
  // The example from the Standard Webhooks specification.
  const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  const std::string timestamp = "1614265330";
  const std::string signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  const std::string body = R"({"test": 2432232314})";
  auto verify = [&](const std::string& v_id, const std::string& v_timestamp, const std::string& v_signature,
                    const std::string& v_body, const std::string& now = "1614265330") {
    RunOptions options;
    options.stdin_data = v_body;
    options.timeout = 20s;
    return run_process(python3(),
                       {webhook_receiver_script().string(), "--secret", kSecret, "--verify", v_id,
                        v_timestamp, v_signature, "--now", now},
                       options);
  };
  const RunResult good = verify(id, timestamp, signature, body);
  EXPECT_EQ(good.exit_code, 0) << good;
  EXPECT_EQ(good.out, "valid\n");
  EXPECT_EQ(verify(id, timestamp, "v1,bogus v1,nope " + signature, body).exit_code, 0)
      << "any listed signature";

  std::string changed_body = body;
  changed_body[10] = '3';
  for (const RunResult& bad :
       {verify(id, timestamp, signature, changed_body), verify(id + "x", timestamp, signature, body),
        verify(id, "1614265331", signature, body, "1614265331"),
        verify(id, timestamp, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=", body),
        verify(id, timestamp, "v2," + signature.substr(3), body),
        verify(id, timestamp, signature, body, "1614265931")}) {  // 10 min later
    EXPECT_EQ(bad.exit_code, 1) << bad;
    EXPECT_EQ(bad.out, "invalid\n") << bad;
  }
}

// ---- Webhooks ----

TEST_P(HooksTest, SignedWebhookIsDeliveredAndVerifiedAndATamperedCopyIsRejected) {
  WebhookReceiver receiver(temp_dir(), "rx", kSecret);
  ASSERT_TRUE(receiver.listening());
  const auto hook = add_signed_webhook(receiver.url("/ok"));

  const RunResult add = cli({"add", "bob", "--email", "bob@example.org"});
  EXPECT_TRUE(MutationSucceeded(add)) << "delivered right after commit, no warning";
  const auto events = feed();
  ASSERT_EQ(events.size(), 1u);
  auto requests = receiver.wait_for_requests(1);
  ASSERT_EQ(requests.size(), 1u) << "delivered once, before the command returned";
  json request = requests[0];
  EXPECT_EQ(request["method"], "POST");
  EXPECT_EQ(request["path"], "/ok");
  EXPECT_EQ(request["signature_ok"], true) << "the receiver's own HMAC check accepted it: " << request.dump();
  EXPECT_EQ(request["status"], 204);
  json headers = request["headers"];
  EXPECT_EQ(headers.value("content-type", ""), "application/cloudevents+json");
  EXPECT_EQ(headers.value("webhook-id", ""), events[0].value("id", "")) << "webhook-id is the event id";
  const std::int64_t timestamp = std::stoll(headers.value("webhook-timestamp", "0"));
  EXPECT_LE(std::llabs(timestamp - unix_now()), 30) << "webhook-timestamp is unix seconds, now";
  EXPECT_EQ(headers.value("webhook-signature", "").rfind("v1,", 0), 0u);
  json body = json::parse(request["body"].get<std::string>());
  EXPECT_EQ(body, events[0]) << "the body is the event, as the feed has it";

  json status = status_of(hook);
  EXPECT_EQ(status.value("delivered", -1), 1) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
  EXPECT_EQ(status.value("failed", -1), 0) << status.dump();
  EXPECT_TRUE(status["last_error"].is_null()) << status.dump();
  EXPECT_EQ(deliver(false), 0) << "nothing pending";
  EXPECT_EQ(receiver.requests().size(), 1u) << "a delivered event is not sent again";

  // Replay the exact request from another client: accepted (so the check below is about the byte).
  const std::string original = request["body"].get<std::string>();
  std::vector<std::pair<std::string, std::string>> signed_headers{
      {"Content-Type", "application/cloudevents+json"},
      {"webhook-id", headers.value("webhook-id", "")},
      {"webhook-timestamp", headers.value("webhook-timestamp", "")},
      {"webhook-signature", headers.value("webhook-signature", "")}};
  EXPECT_EQ(post_raw(receiver.url("/ok"), signed_headers, original), 204);
  // One byte changed (bob → bot), same headers: rejected.
  std::string tampered = original;
  const auto at = tampered.find("\"bob\"");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 3] = 't';
  EXPECT_EQ(post_raw(receiver.url("/ok"), signed_headers, tampered), 401);
  // No signature at all: rejected too.
  EXPECT_EQ(post_raw(receiver.url("/ok"), {{"webhook-id", headers.value("webhook-id", "")}}, original), 401);
  requests = receiver.wait_for_requests(4);
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1]["signature_ok"], true);
  EXPECT_EQ(requests[2]["signature_ok"], false);
  EXPECT_EQ(requests[2]["status"], 401);
  EXPECT_EQ(requests[3]["signature_ok"], false);

  // hook test: a signed test event the receiver accepts.
  const RunResult test = cli({"hook", "test", std::to_string(hook)});
  EXPECT_TRUE(Succeeded(test));
  EXPECT_EQ(test.out, "");
  requests = receiver.wait_for_requests(5);
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[4]["signature_ok"], true) << requests[4].dump();
}

TEST_P(HooksTest, RetriesKeepTheWebhookIdRenewTheTimestampAndHoldBackLaterEvents) {
  WebhookReceiver receiver(temp_dir(), "rx", kSecret);
  ASSERT_TRUE(receiver.listening());
  const auto hook = add_signed_webhook(receiver.url("/flaky/2"));  // 500, 500, then 200

  std::vector<std::pair<std::int64_t, std::int64_t>> windows;  // [before, after] each attempt, unix s
  std::int64_t before = unix_now();
  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "HTTP 500"));
  windows.emplace_back(before, unix_now());
  // bob's event is backing off; carol's must wait behind it (sequence order per hook).
  const RunResult carol = cli({"add", "carol"});
  EXPECT_EQ(carol.exit_code, 0) << carol;
  EXPECT_EQ(receiver.requests().size(), 1u) << "carol's event did not overtake bob's";

  std::this_thread::sleep_for(1100ms);
  before = unix_now();
  EXPECT_EQ(deliver(true), 7);
  windows.emplace_back(before, unix_now());
  EXPECT_EQ(receiver.requests().size(), 2u) << "bob's event failed again; carol's still waits";
  json status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 2) << status.dump();
  EXPECT_NE(status.value("last_error", "").find("500"), std::string::npos) << status.dump();

  std::this_thread::sleep_for(1100ms);
  before = unix_now();
  EXPECT_EQ(deliver(true), 0) << "all delivered";
  windows.emplace_back(before, unix_now());

  const auto events = feed();
  ASSERT_EQ(events.size(), 2u);
  auto requests = receiver.wait_for_requests(4);
  ASSERT_EQ(requests.size(), 4u);
  std::vector<int> statuses;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    json request = requests[i];
    statuses.push_back(request["status"].get<int>());
    EXPECT_EQ(request["signature_ok"], true) << "attempt " << i << " is signed for its own timestamp";
  }
  EXPECT_EQ(statuses, (std::vector<int>{500, 500, 200, 200}));
  std::vector<std::int64_t> timestamps;
  for (std::size_t i = 0; i < 3; ++i) {
    json request = requests[i];
    EXPECT_EQ(request["headers"].value("webhook-id", ""), events[0].value("id", ""))
        << "the same webhook-id on every retry";
    EXPECT_EQ(request["body"], requests[0]["body"]) << "the same body on every retry";
    const std::int64_t t = std::stoll(request["headers"].value("webhook-timestamp", "0"));
    EXPECT_GE(t, windows[i].first) << "attempt " << i << " is stamped when it is made";
    EXPECT_LE(t, windows[i].second) << "attempt " << i << " is stamped when it is made";
    timestamps.push_back(t);
  }
  EXPECT_TRUE(timestamps[0] < timestamps[1] && timestamps[1] < timestamps[2])
      << "a new timestamp per attempt";
  json last = requests[3];
  EXPECT_EQ(last["headers"].value("webhook-id", ""), events[1].value("id", "")) << "then carol's event";
  status = status_of(hook);
  EXPECT_EQ(status.value("delivered", -1), 2) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
}

TEST_P(HooksTest, ReceiverDownForAHundredChangesThenEverythingArrivesInOrder) {
  constexpr int kChanges = 100;
  const int port = unused_port();
  ASSERT_GT(port, 0);
  const auto hook = add_signed_webhook("http://127.0.0.1:" + std::to_string(port) + "/ok");

  int committed = 0;
  int warned = 0;
  std::string first_silent;
  for (int i = 0; i < kChanges; ++i) {
    const RunResult r = cli({"add", "u" + std::to_string(i)});
    if (r.exit_code == 0 && r.out.empty() && r.err.rfind("usersctl: created user", 0) == 0) {
      ++committed;
    } else {
      ADD_FAILURE() << "change " << i << ": " << r;
    }
    if (CommittedWithDeliveryWarning(r)) {
      ++warned;
    } else if (first_silent.empty()) {
      first_silent = "change " + std::to_string(i) + ": " + r.err;
    }
  }
  EXPECT_EQ(committed, kChanges) << "a dead receiver never undoes a change";
  EXPECT_EQ(warned, kChanges)
      << "every command whose event was not delivered says so on stderr; first silent one: " << first_silent;
  ASSERT_EQ(list_usernames().size(), static_cast<std::size_t>(kChanges));
  json status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), kChanges) << status.dump();
  EXPECT_EQ(status.value("delivered", -1), 0) << status.dump();
  EXPECT_NE(status.value("last_error", "").find("refused"), std::string::npos) << status.dump();
  EXPECT_EQ(deliver(true), 7) << "still down";

  WebhookReceiver receiver(temp_dir(), "rx", kSecret, port);
  ASSERT_TRUE(receiver.listening()) << receiver.stderr_text();
  int rounds = 0;
  int code = 7;
  while (code != 0 && rounds < 5) {
    code = deliver(true);
    ++rounds;
  }
  EXPECT_EQ(code, 0) << "delivered within " << rounds << " rounds of events deliver --now";

  const auto events = feed();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kChanges));
  const auto requests = receiver.wait_for_requests(kChanges);
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kChanges)) << "each event exactly once, none lost";
  for (std::size_t i = 0; i < requests.size(); ++i) {
    json request = requests[i];
    json body = json::parse(request["body"].get<std::string>());
    EXPECT_EQ(sequence_of(body), static_cast<std::int64_t>(i + 1)) << "in sequence order, no gap";
    EXPECT_EQ(body, events[i]);
    EXPECT_EQ(request["headers"].value("webhook-id", ""), events[i].value("id", ""));
    EXPECT_EQ(request["signature_ok"], true) << request.dump();
  }
  status = status_of(hook);
  EXPECT_EQ(status.value("delivered", -1), kChanges) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
}

TEST_P(HooksTest, AReceiverAnswering500StaysPendingThenFailsAfterTenAttemptsAndCanBeRequeued) {
  WebhookReceiver receiver(temp_dir(), "rx");
  ASSERT_TRUE(receiver.listening());
  const auto hook = add_hook({"--url", receiver.url("/status/500")});

  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "HTTP 500"));
  EXPECT_EQ(show_user("bob").value("username", ""), "bob") << "committed";
  json status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
  EXPECT_EQ(status.value("failed", -1), 0) << status.dump();
  EXPECT_NE(status.value("last_error", "").find("HTTP 500"), std::string::npos) << status.dump();

  EXPECT_EQ(deliver(false), 7) << "pending";
  EXPECT_EQ(receiver.requests().size(), 1u) << "without --now the backoff holds";

  for (int attempt = 2; attempt <= 9; ++attempt) EXPECT_EQ(deliver(true), 7);
  EXPECT_EQ(receiver.wait_for_requests(9).size(), 9u);
  status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1) << "9 attempts: still pending " << status.dump();

  EXPECT_EQ(deliver(true), 7);  // the 10th attempt
  EXPECT_EQ(receiver.wait_for_requests(10).size(), 10u);
  status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 0) << status.dump();
  EXPECT_EQ(status.value("failed", -1), 1) << "10 attempts: failed " << status.dump();
  EXPECT_NE(status.value("last_error", "").find("HTTP 500"), std::string::npos) << status.dump();

  EXPECT_EQ(deliver(true), 7) << "a failed delivery still counts";
  EXPECT_EQ(receiver.requests().size(), 10u) << "failed deliveries are not retried";

  const RunResult requeue = cli({"events", "redeliver", "--failed"});
  EXPECT_TRUE(Succeeded(requeue));
  EXPECT_EQ(requeue.out, "");
  status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
  EXPECT_EQ(status.value("failed", -1), 0) << status.dump();
  EXPECT_EQ(deliver(true), 7);
  EXPECT_EQ(receiver.wait_for_requests(11).size(), 11u) << "sent again after redeliver";
  status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1)
      << "a requeued delivery gets a fresh retry window " << status.dump();

  // redeliver by sequence; unknown sequence is 3.
  EXPECT_TRUE(Failed(cli({"events", "redeliver", "99"}), 3));
  EXPECT_TRUE(Failed(cli({"events", "redeliver"}), 2));
}

TEST_P(HooksTest, ASlowReceiverDoesNotHoldTheCommandPastTheTimeout) {
  WebhookReceiver receiver(temp_dir(), "rx");
  ASSERT_TRUE(receiver.listening());
  const auto hook = add_hook({"--url", receiver.url("/slow/30")});
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = cli({"add", "bob"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(CommittedWithDeliveryWarning(r, "did not finish within the 2 s"));
  EXPECT_LT(elapsed, 3500ms) << "the deliveries after a change get 2 s in all";
  EXPECT_GE(elapsed, 1900ms) << "it did wait for the answer up to that";
  EXPECT_EQ(receiver.wait_for_requests(1).size(), 1u) << "the request reached the receiver";
  json status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
  EXPECT_EQ(show_user("bob").value("username", ""), "bob");
}

TEST_P(HooksTest, A410DisablesTheHookAndKeepsItsDeliveriesPending) {
  WebhookReceiver receiver(temp_dir(), "rx");
  ASSERT_TRUE(receiver.listening());
  const auto gone = add_hook({"--url", receiver.url("/status/410")});
  const auto fine = add_hook({"--url", receiver.url("/ok")});

  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "410"));
  json hooks = hook_list();
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0].value("id", -1), gone);
  EXPECT_EQ(hooks[0].value("disabled", false), true) << hooks.dump();
  EXPECT_EQ(hooks[1].value("disabled", true), false) << "the other hook is untouched " << hooks.dump();
  json status = status_of(gone);
  EXPECT_EQ(status.value("failed", -1), 0) << status.dump();
  EXPECT_EQ(status.value("pending", -1), 1) << "kept for 'hook enable' " << status.dump();

  // Later changes are not sent to the disabled hook; the other hook gets them.
  const RunResult carol = cli({"add", "carol"});
  EXPECT_TRUE(MutationSucceeded(carol)) << "nothing to try for a disabled hook";
  EXPECT_EQ(deliver(true), 0) << "the pending delivery is a disabled hook's: it holds nothing up";
  std::vector<std::string> paths;
  for (json& request : receiver.wait_for_requests(3)) paths.push_back(request["path"].get<std::string>());
  EXPECT_EQ(paths, (std::vector<std::string>{"/status/410", "/ok", "/ok"}));
  status = status_of(fine);
  EXPECT_EQ(status.value("delivered", -1), 2) << status.dump();
  status = status_of(gone);
  EXPECT_EQ(status.value("pending", -1), 1) << "carol's event was never queued for it " << status.dump();
}

TEST_P(HooksTest, RetryAfterOn429And503SetsTheNextAttemptUnlessNow) {
  WebhookReceiver receiver(temp_dir(), "rx");
  ASSERT_TRUE(receiver.listening());
  const auto limited = add_hook({"--url", receiver.url("/retry-after/429/60")});
  const auto unavailable = add_hook({"--url", receiver.url("/retry-after/503/60")});
  const auto soon = add_hook({"--url", receiver.url("/retry-after/503/1")});

  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "HTTP 429"));
  EXPECT_EQ(receiver.wait_for_requests(3).size(), 3u) << "one attempt per hook after the commit";
  // Retry-After replaces the backoff (about 5 s after a first failure) in both directions:
  // 1 s later the "Retry-After: 1" hook is due again, the "Retry-After: 60" ones are not.
  std::this_thread::sleep_for(1600ms);
  EXPECT_EQ(deliver(false), 7);
  auto requests = receiver.wait_for_requests(4, 2s);
  ASSERT_EQ(requests.size(), 4u) << "only the Retry-After: 1 hook was due";
  EXPECT_EQ(requests[3]["path"], "/retry-after/503/1");
  for (const auto hook : {limited, unavailable, soon}) {
    json status = status_of(hook);
    EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
    EXPECT_EQ(status.value("failed", -1), 0) << status.dump();
  }

  EXPECT_EQ(deliver(true), 7) << "--now sends them anyway (and they answer 429/503 again)";
  requests = receiver.wait_for_requests(7);
  ASSERT_EQ(requests.size(), 7u);
  std::multiset<std::string> paths;
  for (json& request : requests) paths.insert(request["path"].get<std::string>());
  EXPECT_EQ(paths.count("/retry-after/429/60"), 2u);
  EXPECT_EQ(paths.count("/retry-after/503/60"), 2u);
  EXPECT_EQ(paths.count("/retry-after/503/1"), 3u);
}

TEST_P(HooksTest, RedirectsAreNotFollowed) {
  WebhookReceiver receiver(temp_dir(), "rx", kSecret);
  ASSERT_TRUE(receiver.listening());
  const auto hook = add_signed_webhook(receiver.url("/redirect"));
  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "302"));
  std::this_thread::sleep_for(200ms);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["path"], "/redirect") << "never /ok";
  json status = status_of(hook);
  EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
}

// ---- Exec hooks ----

TEST_P(HooksTest, ExecHookGetsTheEventsAsJsonlOnStdinAndAFailingCommandLeavesThemPending) {
  const fs::path all = temp_dir() / "all.jsonl";
  const fs::path users = temp_dir() / "users.jsonl";
  add_hook({"--exec", "cat >> " + shell_quote(all.string())});
  add_hook({"--exec", "cat >> " + shell_quote(users.string()), "--types", "user.*"});

  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob"})));
  EXPECT_TRUE(MutationSucceeded(cli({"group", "create", "staff"})));
  EXPECT_TRUE(MutationSucceeded(cli({"group", "add", "staff", "bob"})));
  EXPECT_TRUE(MutationSucceeded(cli({"update", "bob", "--name", "Bob"})));
  const auto events = feed();
  ASSERT_EQ(events.size(), 4u);
  const std::string all_text = read_file(all);
  EXPECT_EQ(parse_jsonl(all_text), events) << "every event, once, in order, one per line";
  EXPECT_EQ(parse_jsonl(read_file(users)), (std::vector<json>{events[0], events[3]})) << "--types user.*";

  const auto failing = add_hook({"--exec", "cat > /dev/null; exit 3"});
  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "carol"}), "exit"));
  json status = status_of(failing);
  EXPECT_EQ(status.value("pending", -1), 1) << status.dump();
  EXPECT_NE(status.value("last_error", "").find('3'), std::string::npos) << status.dump();
  EXPECT_EQ(deliver(true), 7);
  EXPECT_EQ(parse_jsonl(read_file(all)).size(), 5u) << "the other hooks are not held back by a failing one";
}

TEST_P(HooksTest, EightWritersAtOnceAnExecHookGetsEveryEventOnceInSequenceOrder) {
  constexpr int kWorkers = 8;
  constexpr int kPerWorker = 25;
  const fs::path out = temp_dir() / "feed.jsonl";
  add_hook({"--exec", "cat >> " + shell_quote(out.string())});

  std::vector<Invocation> invocations;
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::vector<std::string> failures;
  std::latch start(kWorkers);
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerWorker; ++i) {
        const RunResult r = cli({"add", "w" + std::to_string(w) + "_" + std::to_string(i), "-q"});
        if (r.exit_code != 0 || !r.out.empty() || !r.err.empty()) {
          const std::lock_guard lock(mutex);
          std::ostringstream text;
          text << r;
          failures.push_back(text.str());
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_TRUE(failures.empty()) << failures.size()
                                << " failed, the first: " << (failures.empty() ? "" : failures.front());

  // Whatever a busy moment left pending (another process held the hook) goes out now.
  int code = 7;
  for (int round = 0; round < 3 && code != 0; ++round) code = deliver(false);
  EXPECT_EQ(code, 0);

  const auto events = feed();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kWorkers * kPerWorker));
  const auto received = parse_jsonl(read_file(out));
  std::vector<std::int64_t> sequences;
  for (const json& event : received) sequences.push_back(sequence_of(event));
  std::vector<std::int64_t> expected(events.size());
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::int64_t>(i + 1);
  EXPECT_EQ(sequences, expected) << "every event once, in sequence order, though 8 processes delivered";
  EXPECT_EQ(received, events);
}

// ---- hook commands ----

TEST_P(HooksTest, HookAddValidatesItsInput) {
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", "ftp://example.org/x"}), 5, "ftp://example.org/x"));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", "not a url"}), 5));
  EXPECT_TRUE(Failed(cli({"hook", "add"}), 2));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--types", "user.*"}), 2));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", "http://127.0.0.1:9/", "--exec", "cat"}), 2));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", "http://127.0.0.1:9/", "--types", "user.renamed"}), 5,
                     "user.renamed"));
  EXPECT_TRUE(Failed(cli({"hook", "add", "--url", "http://127.0.0.1:9/", "--types", "user.*,bogus"}), 5));
  const std::string missing = (temp_dir() / "no-such-secret").string();
  EXPECT_TRUE(
      Failed(cli({"hook", "add", "--url", "http://127.0.0.1:9/", "--secret-file", missing}), 5, missing));
  const fs::path bad_secret = temp_dir() / "bad-secret";
  write_file(bad_secret, "whsec_***not base64***\n");
  EXPECT_TRUE(
      Failed(cli({"hook", "add", "--url", "http://127.0.0.1:9/", "--secret-file", bad_secret.string()}), 5))
      << "a secret that cannot sign is refused up front, not at every delivery";
  EXPECT_TRUE(hook_list().empty()) << "failed hook adds add nothing";
  EXPECT_TRUE(feed().empty()) << "hooks are configuration, not events";
}

TEST_P(HooksTest, HookListNeverShowsTheSecretAndHookRemoveAndTestWork) {
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/hook";
  const auto signed_hook = add_signed_webhook(dead_url, {"--types", "user.*,group.member_added"});
  const auto exec_hook = add_hook({"--exec", "cat > /dev/null"});
  ASSERT_EQ(signed_hook, 1);
  ASSERT_EQ(exec_hook, 2);

  const std::string key = kSecret.substr(std::string("whsec_").size());
  for (const std::string format : {"jsonl", "json", "table", "csv", "tsv"}) {
    const RunResult r = cli({"hook", "list", "-o", format});
    EXPECT_TRUE(Succeeded(r)) << format;
    EXPECT_EQ(r.out.find(key), std::string::npos) << format << " shows the secret:\n" << r.out;
    EXPECT_EQ(r.out.find("whsec_"), std::string::npos) << format << "\n" << r.out;
  }
  auto hooks = hook_list();
  ASSERT_EQ(hooks.size(), 2u);
  json url_hook = hooks[0];
  EXPECT_EQ(url_hook.value("id", -1), signed_hook);
  EXPECT_EQ(url_hook.value("kind", ""), "url");
  EXPECT_EQ(url_hook.value("target", ""), dead_url);
  EXPECT_EQ(url_hook.value("types", ""), "user.*,group.member_added");
  EXPECT_EQ(url_hook.value("signed", false), true);
  EXPECT_EQ(url_hook.value("disabled", true), false);
  EXPECT_TRUE(is_rfc3339_utc(url_hook.value("created_at", ""))) << url_hook.dump();
  EXPECT_EQ(url_hook.value("created_by", ""), "tester");
  json exec = hooks[1];
  EXPECT_EQ(exec.value("kind", ""), "exec");
  EXPECT_EQ(exec.value("target", ""), "cat > /dev/null");
  EXPECT_EQ(exec.value("signed", true), false);

  // hook test: 7 on a dead URL (nothing listens), 0 on a working exec hook, 3 unknown.
  const RunResult dead = cli({"hook", "test", std::to_string(signed_hook)});
  EXPECT_EQ(dead.exit_code, 7) << dead;
  EXPECT_EQ(dead.out, "") << dead;
  EXPECT_NE(dead.err.find("usersctl: warning"), std::string::npos) << dead;
  EXPECT_NE(dead.err.find("refused"), std::string::npos) << dead;
  const RunResult ok = cli({"hook", "test", std::to_string(exec_hook)});
  EXPECT_TRUE(Succeeded(ok));
  EXPECT_EQ(ok.out, "");
  EXPECT_TRUE(Failed(cli({"hook", "test", "99"}), 3));
  EXPECT_TRUE(feed().empty()) << "hook test sends a test event; it is not in the feed";

  EXPECT_TRUE(Failed(cli({"hook", "remove", "99"}), 3, "99"));
  EXPECT_TRUE(Failed(cli({"hook", "remove"}), 2));
  EXPECT_TRUE(MutationSucceeded(cli({"hook", "remove", std::to_string(signed_hook)})));
  hooks = hook_list();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].value("id", -1), exec_hook);
  EXPECT_TRUE(Failed(cli({"hook", "remove", std::to_string(signed_hook)}), 3)) << "already removed";
}

TEST_P(HooksTest, RemovingAHookDropsItsPendingDeliveries) {
  const auto dead = add_hook({"--url", "http://127.0.0.1:" + std::to_string(unused_port()) + "/"});
  EXPECT_TRUE(CommittedWithDeliveryWarning(cli({"add", "bob"}), "refused"));
  EXPECT_EQ(deliver(false), 7);
  EXPECT_TRUE(MutationSucceeded(cli({"hook", "remove", std::to_string(dead)})));
  EXPECT_EQ(deliver(true), 0) << "nothing left pending";
  const RunResult status = cli({"events", "status"});
  EXPECT_TRUE(Succeeded(status));
  EXPECT_EQ(status.out, "") << "no hooks, no status records";
  EXPECT_EQ(feed().size(), 1u) << "the event itself stays in the feed";
}

}  // namespace
}  // namespace usersctl::e2e
