// export --format shadow (with pam_unix through pamtester), LDIF export and import (issue 18).

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

class ShadowLdifTest : public E2eTest {
 protected:
  void add_fixture() {
    add_group("staff", {"--gid", "500", "--description", "Staff, all"});
    add_group("empty", {"--gid", "600"});
    add_user("alice", {"--uid", "1000", "--name", "Alice Liddell", "--email", "alice@example.com", "--group",
                       "staff"});
    add_user("bob", {"--uid", "1001", "--name", "Bøb Ünïcødé 山田", "--group", "staff"});
    add_user("carol", {"--uid", "2000", "--disabled"});
    ASSERT_TRUE(Succeeded(cli({"passwd", "alice", "--password-stdin"}, "s3cret\n")));
    ASSERT_TRUE(Succeeded(cli({"passwd", "carol", "--password-stdin"}, "other\n")));
  }
  std::vector<std::string> usernames_in(const std::string& db) const {
    std::vector<std::string> names;
    for (auto& user : parse_jsonl(run({"--db", db, "list", "-o", "jsonl"}).out)) {
      names.push_back(user["username"].get<std::string>() + ":" + std::to_string(user["uid"].get<int>()) +
                      ":" + std::to_string(user["gid"].get<int>()) + ":" + user["name"].get<std::string>());
    }
    return names;
  }
};
USERSCTL_E2E_INSTANTIATE(ShadowLdifTest);

TEST_P(ShadowLdifTest, ShadowLinesAndTheirRoundTrip) {
  add_fixture();
  const RunResult r = cli({"export", "--format", "shadow"});
  ASSERT_TRUE(Succeeded(r));
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("alice:$y$", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("bob:*:", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("carol:!$y$", 0), 0u) << lines[2];
  for (const auto& line : lines) {
    EXPECT_EQ(std::count(line.begin(), line.end(), ':'), 8) << line;
    EXPECT_EQ(line.substr(line.size() - 6), "::::::") << line;  // no aging, no expiry yet
  }
  const std::string passwd = temp_file("passwd", cli({"export", "--format", "passwd"}).out);
  const std::string shadow = temp_file("shadow", r.out);
  const std::string group = temp_file("group", cli({"export", "--format", "group"}).out);
  const std::string other = (temp_dir() / "other.db").string();
  const RunResult in =
      run({"--db", other, "import", "--format", "passwd", "--shadow", shadow, "--group-file", group, passwd});
  ASSERT_EQ(in.exit_code, 0) << in;
  EXPECT_EQ(run({"--db", other, "check-password", "alice", "--password-stdin"}, "s3cret\n").exit_code, 0);
  EXPECT_EQ(
      run({"--db", other, "show", "carol", "-o", "json"}).out.find("\"disabled\": true") != std::string::npos,
      true);
  // Exported again, the new database gives the same shadow hashes and flags.
  const auto again = split_lines(run({"--db", other, "export", "--format", "shadow"}).out);
  ASSERT_EQ(again.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(again[i].substr(0, again[i].find(':', again[i].find(':') + 1)),
              lines[i].substr(0, lines[i].find(':', lines[i].find(':') + 1)));
}

// pam_unix reads the exported trio. The files are bind-mounted over /etc/passwd, /etc/shadow,
// /etc/group and /etc/pam.d inside a private mount namespace (unshare -m): the host's own files
// are never touched. On both backends: each exports its own records and hashes.
TEST_P(ShadowLdifTest, PamUnixAcceptsTheExportedTrio) {
  if (::geteuid() != 0 || !std::filesystem::exists("/usr/bin/pamtester")) {
    GTEST_SKIP() << "needs root (unshare -m) and pamtester (scripts/bootstrap installs it)";
  }
  add_fixture();
  const std::string dir = temp_dir().string();
  temp_file("passwd", cli({"export", "--format", "passwd"}).out);
  temp_file("shadow", cli({"export", "--format", "shadow"}).out);
  temp_file("group", cli({"export", "--format", "group"}).out);
  std::filesystem::create_directories(temp_dir() / "pam.d");
  temp_file("pam.d/usersctl-test", "auth required pam_unix.so\naccount required pam_unix.so\n");
  const auto pam = [&](const std::string& user, const std::string& password) {
    const std::string script = "set -e; for f in passwd shadow group; do mount --bind " + dir +
                               "/$f /etc/$f; done; "
                               "mount --bind " +
                               dir +
                               "/pam.d /etc/pam.d; "
                               "exec pamtester usersctl-test " +
                               user + " authenticate acct_mgmt";
    RunOptions options;
    options.stdin_data = password + "\n";
    return run_process("/usr/bin/unshare", {"-m", "/bin/sh", "-c", script}, options);
  };
  const RunResult good = pam("alice", "s3cret");
  EXPECT_EQ(good.exit_code, 0) << good;
  EXPECT_NE((good.out + good.err).find("successfully authenticated"), std::string::npos) << good;
  EXPECT_NE(pam("alice", "wrong").exit_code, 0);
  EXPECT_NE(pam("carol", "other").exit_code, 0);  // disabled: '!' locks the hash
  EXPECT_NE(pam("bob", "").exit_code, 0);         // no password: '*'
}

TEST_P(ShadowLdifTest, LdifEntriesFoldedAndBase64WhereNeeded) {
  add_fixture();
  EXPECT_TRUE(Failed(cli({"export", "--format", "ldif"}), 2, "--base-dn"));
  const RunResult r = cli({"export", "--format", "ldif", "--base-dn", "dc=example,dc=com"});
  ASSERT_TRUE(Succeeded(r));
  const std::string& out = r.out;
  EXPECT_EQ(out.rfind("version: 1\n\ndn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\n", 0),
            0u);
  EXPECT_NE(out.find("dn: uid=alice,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: "
                     "posixAccount\nobjectClass: shadowAccount\nuid: alice\ncn: Alice Liddell\nsn: Liddell\n"
                     "mail: alice@example.com\nuidNumber: 1000\ngidNumber: 1000\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("gecos: Alice Liddell\n"), std::string::npos);
  EXPECT_NE(out.find("cn:: QsO4YiDDnG7Dr2PDuGTDqSDlsbHnlLA=\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("gecos:: "), std::string::npos);  // gecos is IA5: not for bob
  EXPECT_EQ(out.find("userPassword"), std::string::npos);
  EXPECT_NE(out.find("dn: cn=staff,ou=groups,dc=example,dc=com\nobjectClass: posixGroup\ncn: staff\n"
                     "gidNumber: 500\ndescription: Staff, all\nmemberUid: alice\nmemberUid: bob\n"),
            std::string::npos);
  for (const auto& line : split_lines(out)) EXPECT_LE(line.size(), 76u) << line;
  const RunResult hashed =
      cli({"export", "--format", "ldif", "--base-dn", "dc=example,dc=com", "--include-password-hashes"});
  EXPECT_NE(hashed.out.find("userPassword: {CRYPT}$y$"), std::string::npos);
  EXPECT_NE(hashed.out.find("userPassword: {CRYPT}!$y$"), std::string::npos);  // carol
}

TEST_P(ShadowLdifTest, LdifRoundTripIntoAnEmptyDatabase) {
  add_fixture();
  add_user("dora", {"--uid", "2001", "--expires-at", "2031-03-03"});
  const std::string file = temp_file(
      "all.ldif",
      cli({"export", "--format", "ldif", "--base-dn", "dc=example,dc=com", "--include-password-hashes"}).out);
  const std::string other = (temp_dir() / "other.db").string();
  const RunResult in = run({"--db", other, "import", file});
  ASSERT_EQ(in.exit_code, 0) << in;
  EXPECT_EQ(usernames_in(other), usernames_in(db_url()));
  EXPECT_EQ(run({"--db", other, "check-password", "alice", "--password-stdin"}, "s3cret\n").exit_code, 0);
  EXPECT_EQ(run({"--db", other, "group", "show", "staff", "-o", "json"}).exit_code, 0);
  auto staff = parse_json(run({"--db", other, "group", "show", "staff", "-o", "json"}).out);
  EXPECT_EQ(staff["members"], json::array({"alice", "bob"}));
  EXPECT_EQ(staff["description"], "Staff, all");
  // shadowExpire comes back as the account's expiry (the start of that day, as import --shadow).
  EXPECT_NE(read_file(file).find("shadowExpire: 22341\n"), std::string::npos);
  EXPECT_EQ(parse_json(run({"--db", other, "show", "dora", "-o", "json"}).out)["expires_at"],
            "2031-03-03T00:00:00.000Z");
  EXPECT_TRUE(parse_json(run({"--db", other, "show", "alice", "-o", "json"}).out)["expires_at"].is_null());
}

TEST_P(ShadowLdifTest, SlapcatShapeFoldedBase64AndOperationalAttributes) {
  const std::string ldif =
      "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n"
      "structuralObjectClass: organization\nentryUUID: 1b5c2a1e-0000-1000-8000-000000000000\n\n"
      "dn: uid=dave,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\n"
      "uid: dave\ncn:: RMOkdmUgV8O2bGY=\nsn: W\nuidNumber: 3001\ngidNumber: 700\nhomeDirectory: /home/da\n"
      " ve\nloginShell: /bin/sh\ncreatorsName: cn=admin,dc=example,dc=com\n"
      "createTimestamp: 20261201000000Z\n\n"
      "dn: cn=ops,ou=groups,dc=example,dc=com\nobjectClass: posixGroup\ncn: ops\ngidNumber: 700\n"
      "memberUid: dave\nentryCSN: 20261201000000.000000Z#000000#000#000000\n";
  const RunResult r = cli({"import", "--format", "ldif", temp_file("slapcat.out", ldif)});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto dave = show_user("dave");
  EXPECT_EQ(dave["name"], "Däve Wölf");
  EXPECT_EQ(dave["home"], "/home/dave");
  EXPECT_EQ(dave["gid"], 700);
  EXPECT_EQ(dave["groups"], json::array({"ops"}));
}

TEST_P(ShadowLdifTest, HostileLdifFailsWithTheLineAndImportsNothing) {
  const std::string good =
      "dn: uid=erin,ou=people,dc=x\nobjectClass: posixAccount\nobjectClass: inetOrgPerson\nuid: erin\ncn: E\n"
      "sn: E\nuidNumber: 4000\ngidNumber: 4000\nhomeDirectory: /home/erin\n\n";
  const auto import = [&](const std::string& name, const std::string& text) {
    return cli({"import", "--format", "ldif", temp_file(name, text)});
  };
  EXPECT_TRUE(Failed(import("b64", good + "dn: uid=f,ou=people,dc=x\ncn:: !!!notbase64\n"), 5, "line 12"));
  const std::string huge =
      good + "dn: uid=g,ou=people,dc=x\ndescription: " + std::string(1100000, 'a') + "\n";
  EXPECT_TRUE(Failed(import("huge", huge), 5, "line 12"));
  std::string injected = good;
  injected.replace(injected.find("dn: uid=erin,"), 13, "dn: uid=erin\\,ou=admins,");
  EXPECT_TRUE(Failed(import("inject", injected), 5, "line 1"));
  std::string plus = good;
  plus.replace(plus.find("dn: uid=erin,"), 13, "dn: uid=erin+uidNumber=0,");
  EXPECT_TRUE(Failed(import("plus", plus), 5, "line 1"));
  EXPECT_TRUE(Failed(import("dup", good + good), 5, "line 11"));
  EXPECT_TRUE(Failed(import("change", good + "dn: uid=h,dc=x\nchangetype: delete\n"), 5, "line 12"));
  // A shadowExpire past what a date can hold (or below -1, "never") is its entry's problem.
  std::string late = good;
  late.insert(late.find("homeDirectory"), "shadowExpire: 99999999999999\n");
  EXPECT_TRUE(Failed(import("late", late), 5, "line 1"));
  std::string early = good;
  early.insert(early.find("homeDirectory"), "shadowExpire: -2\n");
  EXPECT_TRUE(Failed(import("early", early), 5, "line 1"));
  EXPECT_TRUE(list_usernames().empty());
}

}  // namespace
}  // namespace usersctl::e2e
