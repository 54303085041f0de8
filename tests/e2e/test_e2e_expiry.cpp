// Account expiry: outside --valid-from/--expires-at an account is refused by check-password and
// gets no SSH keys; list --expired and --expiring-within find it. Both backends.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class ExpiryTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(ExpiryTest);

const char* const kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAz alice@laptop";

TEST_P(ExpiryTest, ExpiredAccountIsRefusedByCheckPasswordAndSsh) {
  ASSERT_TRUE(
      MutationSucceeded(cli({"add", "alice", "--password-stdin", "--expires-at", "2020-01-01"}, "pw-a\n")));
  ASSERT_TRUE(MutationSucceeded(cli({"ssh-key", "add", "alice", kKey})));
  json user = show_user("alice");
  EXPECT_EQ(user["expires_at"], "2020-01-01T00:00:00.000Z");
  EXPECT_EQ(user["valid_from"], nullptr);
  EXPECT_TRUE(is_rfc3339_utc(user["password_changed_at"].get<std::string>()));
  EXPECT_EQ(user["password"], "expired");
  RunResult r = cli({"check-password", "alice", "--password-stdin"}, "pw-a\n");
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(cli({"ssh-authorized-keys", "alice"}).out, "");

  // Lifted: both work again.
  r = cli({"update", "alice", "--expires-at", "never"});
  ASSERT_TRUE(MutationSucceeded(r)) << r;
  EXPECT_EQ(show_user("alice")["expires_at"], nullptr);
  EXPECT_TRUE(Succeeded(cli({"check-password", "alice", "--password-stdin"}, "pw-a\n")));
  EXPECT_NE(cli({"ssh-authorized-keys", "alice"}).out.find("alice@laptop"), std::string::npos);
}

TEST_P(ExpiryTest, NotYetValidAccountIsRefused) {
  ASSERT_TRUE(
      MutationSucceeded(cli({"add", "bob", "--password-stdin", "--valid-from", "2999-01-01"}, "pw-b\n")));
  EXPECT_EQ(cli({"check-password", "bob", "--password-stdin"}, "pw-b\n").exit_code, 1);
  ASSERT_TRUE(MutationSucceeded(cli({"update", "bob", "--valid-from", "2000-01-01T00:00:00+02:00"})));
  EXPECT_EQ(show_user("bob")["valid_from"], "1999-12-31T22:00:00.000Z");
  EXPECT_TRUE(Succeeded(cli({"check-password", "bob", "--password-stdin"}, "pw-b\n")));
}

TEST_P(ExpiryTest, ListExpiredAndExpiringWithin) {
  add_user("old", {"--expires-at", "2020-01-01"});
  add_user("soon", {"--expires-at", "2999-01-01"});
  add_user("open");
  EXPECT_EQ(list_usernames({"--expired"}), std::vector<std::string>{"old"});
  EXPECT_TRUE(list_usernames({"--expiring-within", "7d"}).empty());
  EXPECT_EQ(list_usernames({"--expiring-within", "400000d"}), std::vector<std::string>{"soon"});
  EXPECT_TRUE(Failed(cli({"list", "--expiring-within", "soon"}), 2, "--expiring-within"));
  EXPECT_TRUE(Failed(cli({"add", "x", "--expires-at", "tomorrow"}), 2, "--expires-at"));
  // The update names the field in its event, with its value before.
  ASSERT_TRUE(MutationSucceeded(cli({"update", "soon", "--expires-at", "2998-01-01"})));
  const auto events = parse_jsonl(cli({"events", "list", "--type", "user.updated"}).out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["changes"], json{"expires_at"});
  EXPECT_EQ(events[0]["data"]["before"]["expires_at"], "2999-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace usersctl::e2e
