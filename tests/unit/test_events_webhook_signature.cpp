#include <gtest/gtest.h>

#include <set>
#include <string>

#include "events/webhook_signature.hpp"
#include "util/errors.hpp"

using namespace usersctl::events;

namespace {

// The fixed vector of the Standard Webhooks reference libraries (test_sign_function in
// standard-webhooks/libraries/python/tests/test_webhooks.py); recomputed independently with
// python3 hmac/hashlib/base64.
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

}  // namespace

TEST(WebhookSignature, MatchesTheSpecVector) {
  EXPECT_EQ(sign_webhook(kSecret, kMsgId, kTimestamp, kBody), kSignature);
}

TEST(WebhookSignature, PrefixIsOptionalAndSurroundingWhitespaceIgnored) {
  // The reference libraries decode the base64 with or without "whsec_".
  EXPECT_EQ(sign_webhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kMsgId, kTimestamp, kBody), kSignature);
  EXPECT_EQ(sign_webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", kMsgId, kTimestamp, kBody), kSignature);
}

TEST(WebhookSignature, OneByteChangedGivesADifferentSignature) {
  // {"test": 2432232315}, computed with python3 hmac.new(key, msg, hashlib.sha256).
  EXPECT_EQ(sign_webhook(kSecret, kMsgId, kTimestamp, R"({"test": 2432232315})"),
            "v1,TW/pFPJ2/LwRQdgfM7WklE9yJiRyMs0cTpVPK8leNAU=");
  EXPECT_NE(sign_webhook(kSecret, kMsgId, kTimestamp + 1, kBody), kSignature);
  EXPECT_NE(sign_webhook(kSecret, "msg_p5jXN8AQM9LWM0D4loKWxJeK", kTimestamp, kBody), kSignature);
  EXPECT_NE(sign_webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", kMsgId, kTimestamp, kBody), kSignature);
}

TEST(WebhookSignature, DecodesSecrets) {
  EXPECT_EQ(decode_webhook_secret("whsec_AAEC/w=="), std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(decode_webhook_secret("whsec_AAEC/w"), std::string("\x00\x01\x02\xff", 4));  // unpadded
  EXPECT_EQ(decode_webhook_secret("aGk="), "hi");
  EXPECT_EQ(decode_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").size(), 24u);
}

TEST(WebhookSignature, MalformedSecretsThrow) {
  EXPECT_THROW(decode_webhook_secret(""), usersctl::Invalid);
  EXPECT_THROW(decode_webhook_secret("whsec_"), usersctl::Invalid);
  EXPECT_THROW(decode_webhook_secret("whsec_not base64!"), usersctl::Invalid);
  EXPECT_THROW(decode_webhook_secret("whsec_abc$"), usersctl::Invalid);
  EXPECT_THROW(decode_webhook_secret("whsec_a-b_"), usersctl::Invalid);   // base64url is not the spec's
  EXPECT_THROW(decode_webhook_secret("whsec_abcde"), usersctl::Invalid);  // impossible length
  EXPECT_THROW(decode_webhook_secret("whsec_abcd="), usersctl::Invalid);  // padding where none fits
  EXPECT_THROW(decode_webhook_secret("whsec_a==="), usersctl::Invalid);
  EXPECT_THROW(decode_webhook_secret("whsec_ab=c"), usersctl::Invalid);
  EXPECT_THROW(sign_webhook("whsec_!!!!", kMsgId, kTimestamp, kBody), usersctl::Invalid);
}

TEST(WebhookSignature, RejectsMessageIdsTheSpecForbids) {
  EXPECT_THROW(sign_webhook(kSecret, "", kTimestamp, kBody), usersctl::Invalid);
  EXPECT_THROW(sign_webhook(kSecret, "msg.1", kTimestamp, kBody), usersctl::Invalid);
  EXPECT_THROW(sign_webhook(kSecret, "msg\r\nx: y", kTimestamp, kBody), usersctl::Invalid);
}

TEST(WebhookSignature, GeneratesFreshSecretsInTheSpecFormat) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string secret = generate_webhook_secret();
    ASSERT_EQ(secret.size(), 6u + 32u) << secret;  // "whsec_" + base64 of 24 bytes
    EXPECT_EQ(secret.substr(0, 6), "whsec_");
    EXPECT_EQ(decode_webhook_secret(secret).size(), 24u);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 20u);
}
