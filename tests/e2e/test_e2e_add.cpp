// usersctl add: the record it creates, uid allocation, conflicts and the record rules of
// docs/ARCHITECTURE.md, "Record rules".

#include <regex>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class AddTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(AddTest);

const std::vector<std::string> kUserKeys = {
    "username",   "uid",        "gid",        "name",       "email",      "home",       "shell",
    "groups",     "ssh_keys",   "attrs",      "disabled",   "valid_from", "expires_at", "password_changed_at",
    "created_at", "updated_at", "created_by", "updated_by", "version"};

std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

TEST_P(AddTest, CreatesTheFullRecord) {
  const RunResult r = cli({"add", "alice", "--email", "alice@example.com", "--name", "Alice Liddell",
                           "--attr", "shell=/bin/bash", "--attr", "team=ops"});
  ASSERT_TRUE(MutationSucceeded(r));
  EXPECT_NE(r.err.find("alice"), std::string::npos) << "the confirmation should name the user: " << r.err;

  const RunResult shown = cli({"show", "alice"});
  ASSERT_TRUE(Succeeded(shown));
  EXPECT_EQ(shown.err, "");
  // Keys in the documented order: parse preserving order.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(shown.out);
  // show adds the password state after the record's own fields (issue 15).
  std::vector<std::string> shown_keys = kUserKeys;
  shown_keys.emplace_back("password");
  EXPECT_EQ(keys_of(ordered), shown_keys);

  json user = parse_json(shown.out);
  EXPECT_EQ(user["username"], "alice");
  EXPECT_EQ(user["uid"], 1000);
  EXPECT_EQ(user["name"], "Alice Liddell");
  EXPECT_EQ(user["email"], "alice@example.com");
  EXPECT_EQ(user["groups"], json::array());
  EXPECT_EQ(user["attrs"], (json{{"shell", "/bin/bash"}, {"team", "ops"}}));
  EXPECT_EQ(user["disabled"], false);
  EXPECT_TRUE(is_rfc3339_utc(user["created_at"].get<std::string>())) << user["created_at"];
  EXPECT_TRUE(is_rfc3339_utc(user["updated_at"].get<std::string>())) << user["updated_at"];
  EXPECT_EQ(user["created_by"], "tester");
  EXPECT_EQ(user["updated_by"], "tester");
  EXPECT_EQ(user["version"], 1);
}

TEST_P(AddTest, EmailIsNullWhenNotGiven) {
  add_user("bob");
  json user = show_user("bob");
  ASSERT_TRUE(user.contains("email"));
  EXPECT_TRUE(user["email"].is_null()) << user.dump();
  EXPECT_EQ(user["attrs"], json::object());
}

TEST_P(AddTest, QuietSilencesTheConfirmation) {
  EXPECT_TRUE(QuietlySucceeded(cli({"add", "alice", "-q"})));
  EXPECT_TRUE(QuietlySucceeded(cli({"--quiet", "add", "bob"})));
  EXPECT_TRUE(QuietlySucceeded(cli({"-q", "add", "carol"})));
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "bob", "carol"}));
}

TEST_P(AddTest, FirstUidIs1000AndNextIsHighestPlusOne) {
  add_user("a");
  add_user("b");
  add_user("c", {"--uid", "5000"});
  add_user("d");
  add_user("e", {"--uid", "70000"});  // outside [1000, 60000): does not move the allocator
  add_user("f", {"--uid", "500"});    // a system account: neither
  add_user("g");
  EXPECT_EQ(show_user("a")["uid"], 1000);
  EXPECT_EQ(show_user("b")["uid"], 1001);
  EXPECT_EQ(show_user("c")["uid"], 5000);
  EXPECT_EQ(show_user("d")["uid"], 5001);
  EXPECT_EQ(show_user("e")["uid"], 70000);
  EXPECT_EQ(show_user("f")["uid"], 500);
  EXPECT_EQ(show_user("g")["uid"], 5002);
}

TEST_P(AddTest, GapsLeftByDeletedUsersAreNotReused) {
  add_user("a");
  add_user("b");
  add_user("c");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "b"})));
  add_user("d");
  EXPECT_EQ(show_user("d")["uid"], 1003);
}

TEST_P(AddTest, ExplicitUidAcceptsTheWholeRange) {
  add_user("root_like", {"--uid", "0"});
  add_user("past31", {"--uid", "2147483648"});
  add_user("top", {"--uid", "4294967294"});
  EXPECT_EQ(show_user("root_like")["uid"], 0);
  EXPECT_EQ(show_user("past31")["uid"], 2147483648LL);
  EXPECT_EQ(show_user("top")["uid"], 4294967294LL);
}

TEST_P(AddTest, ExplicitUidOutOfRangeIsInvalid) {
  EXPECT_TRUE(Failed(cli({"add", "big", "--uid", "4294967295"}), 5));
  EXPECT_TRUE(Failed(cli({"add", "big", "--uid", "4294967296"}), 2, "--uid"));  // not a 32-bit id
  EXPECT_TRUE(Failed(cli({"add", "neg", "--uid=-1"}), 2, "--uid"));
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(AddTest, NonNumericUidIsUsageError) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--uid", "abc"}), 2));
  EXPECT_TRUE(Failed(cli({"list"}), 6, "no database"))
      << "a usage error creates nothing, not even the database";
}

TEST_P(AddTest, ExistingUserConflicts) {
  add_user("alice", {"--email", "alice@example.com"});
  EXPECT_TRUE(Failed(cli({"add", "alice", "--email", "other@example.com"}), 4, "alice"));
  json user = show_user("alice");
  EXPECT_EQ(user["email"], "alice@example.com");
  EXPECT_EQ(user["version"], 1);
}

TEST_P(AddTest, IfNotExistsMakesExistingUserANoOp) {
  add_user("alice", {"--email", "alice@example.com", "--name", "Alice"});
  json before = show_user("alice");
  const RunResult r =
      cli({"add", "alice", "--email", "other@example.com", "--name", "Other", "--if-not-exists"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(show_user("alice"), before);
}

TEST_P(AddTest, IfNotExistsStillCreatesAMissingUser) {
  EXPECT_TRUE(MutationSucceeded(cli({"add", "alice", "--if-not-exists"})));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_P(AddTest, DuplicateUidConflicts) {
  add_user("a", {"--uid", "2000"});
  EXPECT_TRUE(Failed(cli({"add", "b", "--uid", "2000"}), 4, "2000"));
  EXPECT_TRUE(Failed(cli({"show", "b"}), 3));
}

TEST_P(AddTest, DuplicateEmailInOtherCaseConflicts) {
  add_user("alice", {"--email", "alice@x.com"});
  EXPECT_TRUE(Failed(cli({"add", "bob", "--email", "Alice@X.com"}), 4));
  EXPECT_TRUE(Failed(cli({"show", "bob"}), 3));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_P(AddTest, InvalidEmailIsRejected) {
  for (const std::string email : {"not-an-email", "a@", "@example.com", "a b@example.com", "a@b@c.com"}) {
    EXPECT_TRUE(Failed(cli({"add", "alice", "--email", email}), 5)) << "email: " << email;
  }
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(AddTest, PasswordOnTheCommandLineIsUsageError) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--password", "foo"}), 2));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6, "no database")) << "not even the database was created";
}

TEST_P(AddTest, UnknownGroupIsNotFoundAndCreatesNothing) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--group", "nosuch"}), 3, "nosuch"));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3));
}

TEST_P(AddTest, InvalidUserNamesAreRejected) {
  const std::vector<std::string> bad = {
      "Alice",               // upper case
      "1abc",                // leading digit
      "a b",                 // space
      std::string(33, 'a'),  // too long
      "bad\nname",           // newline
      "tab\tname",           // tab
      "ab\x7f",              // DEL
      "a.b",                 // dot
      "a$b",                 // '$' only at the end
      "zo\xc3\xab",          // non-ASCII
      "",                    // empty
  };
  for (const std::string& name : bad) {
    EXPECT_TRUE(Failed(cli({"add", name}), 5)) << "name: '" << name << "'";
  }
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(AddTest, ErrorsDoNotEchoControlCharacters) {
  // A hostile name must not reach the admin's terminal raw (escape sequences, fake extra lines).
  const RunResult r = cli({"add", "x\x1b[2J\rusersctl: created user 'x'"});
  EXPECT_TRUE(Failed(r, 5));
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  const RunResult bad_name = cli({"add", "bob", "--name", "Bob\x1b]0;pwned\x07"});
  EXPECT_TRUE(Failed(bad_name, 5));
  EXPECT_EQ(bad_name.err.find('\x1b'), std::string::npos) << bad_name.err;
  EXPECT_EQ(bad_name.err.find('\x07'), std::string::npos) << bad_name.err;
}

TEST_P(AddTest, ValidUserNameEdgeCases) {
  const std::vector<std::string> good = {"a", "_svc", "build$", "a-b_c9", std::string(32, 'z')};
  for (const std::string& name : good) {
    EXPECT_TRUE(MutationSucceeded(cli({"add", name}))) << "name: " << name;
    EXPECT_EQ(show_user(name)["username"], name);
  }
}

TEST_P(AddTest, BadDisplayNamesAreRejected) {
  const std::vector<std::string> bad = {
      "Bob\x01Smith",         // C0
      "Bob\nSmith",           // newline
      "Bob\x7f",              // DEL
      "Bob\xc2\x85Smith",     // C1 (NEL)
      "Smith: Bob",           // ':' breaks passwd export
      std::string(257, 'x'),  // too long
  };
  for (const std::string& name : bad) {
    EXPECT_TRUE(Failed(cli({"add", "bob", "--name", name}), 5)) << "display name: " << name;
  }
  EXPECT_TRUE(Failed(cli({"show", "bob"}), 3));
}

TEST_P(AddTest, DisplayNameLengthCountsCharactersNotBytes) {
  std::string e_acute_256;
  for (int i = 0; i < 256; ++i) e_acute_256 += "\xc3\xa9";  // é: 2 bytes, 1 character
  EXPECT_TRUE(MutationSucceeded(cli({"add", "a", "--name", std::string(256, 'x')})));
  EXPECT_TRUE(MutationSucceeded(cli({"add", "b", "--name", e_acute_256})));
  EXPECT_EQ(show_user("b")["name"], e_acute_256);
}

TEST_P(AddTest, UnicodeDisplayNamesRoundTrip) {
  const std::vector<std::pair<std::string, std::string>> users = {
      {"zoe", "Zo\xc3\xab M\xc3\xbcller"},    // Zoë Müller
      {"lilei", "\xe6\x9d\x8e\xe9\x9b\xb7"},  // 李雷
      {"smiley", "\xf0\x9f\x99\x82 Smile"},   // 🙂 Smile
  };
  for (const auto& [username, name] : users) {
    ASSERT_TRUE(MutationSucceeded(cli({"add", username, "--name", name})));
    EXPECT_EQ(show_user(username)["name"], name);
  }
  auto listed = list_users();
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0]["name"], users[1].second);  // lilei
  EXPECT_EQ(listed[1]["name"], users[2].second);  // smiley
  EXPECT_EQ(listed[2]["name"], users[0].second);  // zoe
}

TEST_P(AddTest, DisabledFlag) {
  add_user("alice", {"--disabled"});
  add_user("bob");
  EXPECT_EQ(show_user("alice")["disabled"], true);
  EXPECT_EQ(show_user("bob")["disabled"], false);
}

TEST_P(AddTest, AttributeValueMayContainEquals) {
  add_user("alice", {"--attr", "url=https://x.test/?a=b"});
  EXPECT_EQ(show_user("alice")["attrs"], (json{{"url", "https://x.test/?a=b"}}));
}

TEST_P(AddTest, AttributeValueWithControlCharacterIsInvalid) {
  EXPECT_TRUE(Failed(cli({"add", "alice", "--attr", "note=a\x01z"}), 5));
  EXPECT_TRUE(Failed(cli({"add", "alice", "--attr", "note=line\nbreak"}), 5));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3));
}

TEST_P(AddTest, ActorDefaultsToSudoUserThenUser) {
  env()["SUDO_USER"] = "root_admin";
  add_user("a");
  EXPECT_EQ(show_user("a")["created_by"], "root_admin");
  env().erase("SUDO_USER");
  add_user("b");
  EXPECT_EQ(show_user("b")["created_by"], "tester");
  add_user("c", {"--actor", "ci_bot"});
  EXPECT_EQ(show_user("c")["created_by"], "ci_bot");
  EXPECT_EQ(show_user("c")["updated_by"], "ci_bot");
}

TEST_P(AddTest, ActorOptionBeatsSudoUser) {
  env()["SUDO_USER"] = "root_admin";
  add_user("a", {"--actor", "ci_bot"});
  EXPECT_EQ(show_user("a")["created_by"], "ci_bot");
}

TEST_P(AddTest, GlobalOptionsMayFollowTheSubcommand) {
  const RunResult r = run({"add", "alice", "--db", db_url(), "-q"});
  EXPECT_TRUE(QuietlySucceeded(r));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_P(AddTest, PasswordNeverAppearsInOutput) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "s3cret-pass\n")));
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"show", "alice"},
                                             {"list"},
                                             {"list", "-o", "json"},
                                             {"list", "-o", "csv"},
                                             {"list", "-o", "tsv"},
                                             {"list", "-o", "table"},
                                             {"show", "alice", "-o", "csv"}}) {
    const RunResult r = cli(args);
    ASSERT_TRUE(Succeeded(r)) << args[0];
    EXPECT_NE(r.out, "");
    EXPECT_EQ(r.out.find("$y$"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("s3cret-pass"), std::string::npos) << r.out;
    // show names the password's state ("set"), never more; nothing else mentions it.
    // (password_changed_at says only when it was set.)
    if (args[0] != "show") {
      const std::string out = std::regex_replace(r.out, std::regex("password_changed_at"), "");
      EXPECT_EQ(out.find("password"), std::string::npos) << r.out;
    }
  }
}

}  // namespace
}  // namespace usersctl::e2e
