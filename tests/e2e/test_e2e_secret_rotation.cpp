// hook rotate-secret (issue 19): after a rotation with --keep-old, every delivery carries two
// signatures (space-separated "v1,"), and an independent receiver (webhook_receiver.py, its own
// HMAC code) verifies it with the old secret and with the new one; without --keep-old only the
// new one signs.

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "webhook_receiver_process.hpp"

namespace usersctl::e2e {
namespace {

using namespace std::chrono_literals;

const std::string kOldSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kNewSecret = "whsec_b2xkc2VjcmV0LW5ldy1zZWNyZXQtMDEyMzQ1Njc4OQ==";

class SecretRotationTest : public E2eTest {
 protected:
  std::string secret_file(const std::string& name, const std::string& secret) const {
    return temp_file(name, secret + "\n");
  }

  // Hook 1 to the receiver on the old secret, then rotated to the new one with `extra` options.
  void add_hook_and_rotate(const WebhookReceiver& receiver, const std::vector<std::string>& extra) const {
    ASSERT_EQ(
        cli({"hook", "add", "--url", receiver.url("/ok"), "--secret-file", secret_file("old", kOldSecret)})
            .exit_code,
        0);
    std::vector<std::string> rotate{"hook", "rotate-secret", "1", "--secret-file",
                                    secret_file("new", kNewSecret)};
    rotate.insert(rotate.end(), extra.begin(), extra.end());
    ASSERT_EQ(cli(rotate).exit_code, 0);
  }

  // The receiver script's own check of one recorded request with `secret`: exit 0 when valid.
  int verify_with(const std::string& secret, json request) const {
    json headers = request["headers"];
    RunOptions options;
    options.stdin_data = request["body"].get<std::string>();
    options.timeout = 20s;
    const RunResult r = run_process(
        "/usr/bin/python3",
        {webhook_receiver_script().string(), "--secret", secret, "--verify", headers.value("webhook-id", ""),
         headers.value("webhook-timestamp", ""), headers.value("webhook-signature", "")},
        options);
    return r.exit_code;
  }
};
USERSCTL_E2E_INSTANTIATE(SecretRotationTest);

TEST_P(SecretRotationTest, BothSecretsSignUntilTheOldOneExpires) {
  WebhookReceiver receiver(temp_dir(), "rx", kOldSecret);
  ASSERT_TRUE(receiver.listening());
  ASSERT_EQ(cli({"hook", "add", "--name", "crm", "--url", receiver.url("/ok"), "--secret-file",
                 secret_file("old", kOldSecret)})
                .exit_code,
            0);
  add_user("alice");
  const RunResult rotate = cli(
      {"hook", "rotate-secret", "crm", "--secret-file", secret_file("new", kNewSecret), "--keep-old", "1h"});
  ASSERT_EQ(rotate.exit_code, 0) << rotate;
  EXPECT_NE(rotate.err.find("old one also signs until"), std::string::npos) << rotate;
  auto hook = parse_json(cli({"hook", "show", "crm", "-o", "json"}).out);
  EXPECT_TRUE(hook["old_secret_until"].is_string()) << hook.dump();
  add_user("bob");

  auto requests = receiver.wait_for_requests(2);
  ASSERT_EQ(requests.size(), 2u) << cli({"events", "status"}) << receiver.stderr_text();
  const std::string before = requests[0]["headers"].value("webhook-signature", "");
  const std::string during = requests[1]["headers"].value("webhook-signature", "");
  EXPECT_EQ(before.find(' '), std::string::npos) << "one secret, one signature: " << before;
  ASSERT_NE(during.find(' '), std::string::npos) << "two signatures: " << during;
  EXPECT_EQ(during.rfind("v1,", 0), 0u);
  EXPECT_EQ(during.substr(during.find(' ') + 1).rfind("v1,", 0), 0u);
  EXPECT_EQ(requests[1]["signature_ok"], true) << "the receiver, still on the old secret, accepts it";
  EXPECT_EQ(verify_with(kOldSecret, requests[1]), 0);
  EXPECT_EQ(verify_with(kNewSecret, requests[1]), 0) << "and one on the new secret does too";
  EXPECT_NE(verify_with(kNewSecret, requests[0]), 0) << "the check can fail: the first was old-only";
}

TEST_P(SecretRotationTest, OnceTheOldSecretExpiresOnlyTheNewOneSigns) {
  WebhookReceiver receiver(temp_dir(), "rx", kNewSecret);
  ASSERT_TRUE(receiver.listening());
  ASSERT_NO_FATAL_FAILURE(add_hook_and_rotate(receiver, {"--keep-old", "1s"}));
  add_user("alice");
  std::this_thread::sleep_for(1500ms);
  add_user("bob");
  auto requests = receiver.wait_for_requests(2);
  ASSERT_EQ(requests.size(), 2u) << cli({"events", "status"}) << receiver.stderr_text();
  EXPECT_NE(requests[0]["headers"].value("webhook-signature", "").find(' '), std::string::npos)
      << "within --keep-old: both sign";
  EXPECT_EQ(verify_with(kOldSecret, requests[0]), 0);
  EXPECT_EQ(requests[1]["headers"].value("webhook-signature", "").find(' '), std::string::npos)
      << "after it: the new one alone";
  EXPECT_EQ(verify_with(kNewSecret, requests[1]), 0);
  EXPECT_NE(verify_with(kOldSecret, requests[1]), 0);
}

TEST_P(SecretRotationTest, WithoutKeepOldOnlyTheNewSecretSigns) {
  WebhookReceiver receiver(temp_dir(), "rx", kNewSecret);
  ASSERT_TRUE(receiver.listening());
  ASSERT_NO_FATAL_FAILURE(add_hook_and_rotate(receiver, {}));
  add_user("alice");
  auto requests = receiver.wait_for_requests(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["signature_ok"], true);
  EXPECT_EQ(requests[0]["headers"].value("webhook-signature", "").find(' '), std::string::npos);
  EXPECT_NE(verify_with(kOldSecret, requests[0]), 0);
  EXPECT_TRUE(Failed(cli({"hook", "rotate-secret", "1", "--secret-file", secret_file("bad", "nope")}), 5));
  EXPECT_TRUE(Failed(cli({"hook", "rotate-secret", "9", "--secret-file", secret_file("n2", kNewSecret)}), 3));
}

}  // namespace
}  // namespace usersctl::e2e
