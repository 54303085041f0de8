// What a person at a terminal meets (issue 15), through a real pseudo-terminal: destructive
// commands ask y/N first, passwords are asked twice without echo. Scripts (stdin not a
// terminal) are never asked.

#include <memory>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pty_session.hpp"

namespace usersctl::e2e {
namespace {

class TerminalPromptTest : public E2eTest {
 protected:
  std::unique_ptr<PtySession> on_terminal(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_url()});
    PtyOptions options;
    options.env = env();
    return std::make_unique<PtySession>(usersctl_binary(), args, options);
  }
  std::string state() const {
    return cli({"export"}).out + "\n" + cli({"group", "list", "-o", "jsonl"}).out + "\n" +
           cli({"events", "list", "--limit", "1000"}).out;
  }
  // Runs `args` on the terminal, expects the question `question`, answers `answer`.
  RunResult answer(const std::vector<std::string>& args, const std::string& question,
                   const std::string& answer, std::string* screen = nullptr) const {
    auto session = on_terminal(args);
    EXPECT_TRUE(session->wait_for("Continue? [y/N] ")) << session->screen();
    EXPECT_NE(session->screen().find(question), std::string::npos) << session->screen();
    session->type(answer);
    RunResult r = session->finish();
    if (screen) *screen = session->screen();
    return r;
  }
  void arrange() {
    add_group("ops");
    for (const char* name : {"alice", "bob", "carol"}) add_user(name, {"--group", "ops"});
  }
};
USERSCTL_E2E_INSTANTIATE(TerminalPromptTest);

TEST_P(TerminalPromptTest, DeletingSeveralUsersAsksAndNoChangesNothing) {
  arrange();
  const std::string before = state();
  std::string screen;
  const RunResult r = answer({"delete", "alice", "bob"}, "delete 2 users: alice, bob", "n\n", &screen);
  EXPECT_EQ(r.exit_code, 1) << screen;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(screen.find("usersctl: error: aborted: nothing was changed"), std::string::npos) << screen;
  EXPECT_EQ(state(), before);
}

TEST_P(TerminalPromptTest, DeletingSeveralUsersWithYesDeletes) {
  arrange();
  std::string screen;
  const RunResult r = answer({"delete", "alice", "bob"}, "delete 2 users", "y\n", &screen);
  EXPECT_EQ(r.exit_code, 0) << screen;
  EXPECT_NE(screen.find("deleted user 'bob'"), std::string::npos) << screen;
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"carol"});
}

TEST_P(TerminalPromptTest, EndOfInputAtTheQuestionIsANo) {
  arrange();
  const std::string before = state();
  auto session = on_terminal({"delete", "alice", "bob"});
  ASSERT_TRUE(session->wait_for("Continue? [y/N] ")) << session->screen();
  session->end_of_input();
  EXPECT_EQ(session->finish().exit_code, 1) << session->screen();
  EXPECT_EQ(state(), before);
}

TEST_P(TerminalPromptTest, YesFlagOneUserAndScriptsAreNeverAsked) {
  arrange();
  auto one = on_terminal({"delete", "alice"});
  EXPECT_EQ(one->finish().exit_code, 0) << one->screen();
  EXPECT_EQ(one->screen().find("Continue?"), std::string::npos) << one->screen();
  auto flagged = on_terminal({"delete", "--yes", "bob", "carol"});
  EXPECT_EQ(flagged->finish().exit_code, 0) << flagged->screen();
  EXPECT_EQ(flagged->screen().find("Continue?"), std::string::npos) << flagged->screen();
  EXPECT_TRUE(list_usernames().empty());

  for (const char* name : {"dave", "erin"}) add_user(name);
  const RunResult piped = cli({"delete", "dave", "erin"});  // stdin a pipe: as today
  EXPECT_TRUE(MutationSucceeded(piped, 2));
  EXPECT_EQ(piped.err.find("Continue?"), std::string::npos) << piped;
}

TEST_P(TerminalPromptTest, GroupDeleteForceAsksWhenItRemovesMemberships) {
  arrange();
  const std::string before = state();
  EXPECT_EQ(answer({"group", "delete", "ops", "--force"},
                   "delete group 'ops' and its 3 memberships: alice, bob, carol", "no\n")
                .exit_code,
            1);
  EXPECT_EQ(state(), before);
  EXPECT_EQ(answer({"group", "delete", "ops", "--force"}, "memberships", "yes\n").exit_code, 0);
  EXPECT_TRUE(Failed(cli({"group", "show", "ops"}), 3));
  add_group("empty");
  auto session = on_terminal({"group", "delete", "empty", "--force"});
  EXPECT_EQ(session->finish().exit_code, 0) << session->screen();
  EXPECT_EQ(session->screen().find("Continue?"), std::string::npos) << session->screen();
}

TEST_P(TerminalPromptTest, ApplyPruneAsksWithCountsAndNames) {
  arrange();
  const std::string file = temp_file("desired.jsonl",
                                     "{\"username\":\"alice\",\"name\":\"A\"}\n"
                                     "{\"username\":\"zed\"}\n");
  const std::string before = state();
  const std::string question =
      "apply will delete 2 users (bob, carol) and update 1 user (alice), and create 1 user";
  EXPECT_EQ(answer({"apply", "--prune", file}, question, "n\n").exit_code, 1);
  EXPECT_EQ(state(), before);
  std::string screen;
  EXPECT_EQ(answer({"apply", "--prune", file}, question, "y\n", &screen).exit_code, 0) << screen;
  EXPECT_NE(screen.find("apply: 1 user created, 1 updated, 2 deleted"), std::string::npos) << screen;
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "zed"}));
}

TEST_P(TerminalPromptTest, ApplyFromTheTerminalItselfReadsTheInputOnceThenAsks) {
  arrange();
  auto session = on_terminal({"apply", "--prune", "-"});
  session->type("{\"username\":\"alice\"}\n");
  session->end_of_input();
  ASSERT_TRUE(session->wait_for("Continue? [y/N] ")) << session->screen();
  EXPECT_NE(session->screen().find("apply will delete 2 users (bob, carol)"), std::string::npos)
      << session->screen();
  session->type("y\n");
  EXPECT_EQ(session->finish().exit_code, 0) << session->screen();
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_P(TerminalPromptTest, ImportUpsertAsksBeforeChangingSeveralUsers) {
  arrange();
  const std::string two = temp_file("two.jsonl",
                                    "{\"username\":\"alice\",\"name\":\"A\"}\n"
                                    "{\"username\":\"bob\",\"name\":\"B\"}\n");
  const std::string before = state();
  EXPECT_EQ(answer({"import", "--upsert", two}, "import will update 2 users (alice, bob)", "n\n").exit_code,
            1);
  EXPECT_EQ(state(), before);
  // One changed record (and any number of new ones) is not asked about.
  const std::string one = temp_file("one.jsonl",
                                    "{\"username\":\"carol\",\"name\":\"C\"}\n"
                                    "{\"username\":\"new1\"}\n{\"username\":\"new2\"}\n");
  auto session = on_terminal({"import", "--upsert", one});
  EXPECT_EQ(session->finish().exit_code, 0) << session->screen();
  EXPECT_EQ(session->screen().find("Continue?"), std::string::npos) << session->screen();
  EXPECT_EQ(show_user("carol")["name"], "C");
  auto yes = on_terminal({"import", "--upsert", "--yes", two});
  EXPECT_EQ(yes->finish().exit_code, 0) << yes->screen();
  EXPECT_EQ(show_user("bob")["name"], "B");
}

TEST_P(TerminalPromptTest, PasswdAsksTwiceWithoutEcho) {
  add_user("alice");
  auto session = on_terminal({"passwd", "alice"});
  ASSERT_TRUE(session->wait_for("New password: ")) << session->screen();
  session->type("Correct-Horse-7\n");
  ASSERT_TRUE(session->wait_for("Retype new password: ")) << session->screen();
  session->type("Correct-Horse-7\n");
  const RunResult r = session->finish();
  EXPECT_EQ(r.exit_code, 0) << session->screen();
  EXPECT_EQ(session->screen().find("Correct-Horse-7"), std::string::npos) << "echoed: " << session->screen();
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "Correct-Horse-7\n").exit_code, 0);
  EXPECT_TRUE(session->echo_on()) << "the terminal must be left echoing";
  EXPECT_EQ(show_user("alice")["password"], "set");
}

TEST_P(TerminalPromptTest, PasswdMismatchChangesNothing) {
  add_user("alice");
  const std::string before = state();
  auto session = on_terminal({"passwd", "alice"});
  ASSERT_TRUE(session->wait_for("New password: ")) << session->screen();
  session->type("first-one-1\n");
  ASSERT_TRUE(session->wait_for("Retype new password: ")) << session->screen();
  session->type("second-one-2\n");
  EXPECT_EQ(session->finish().exit_code, 5) << session->screen();
  EXPECT_NE(session->screen().find("usersctl: error: the passwords do not match"), std::string::npos)
      << session->screen();
  EXPECT_EQ(state(), before);
  EXPECT_EQ(show_user("alice")["password"], "none");
}

TEST_P(TerminalPromptTest, AddWithPasswordFlagAsks) {
  auto session = on_terminal({"add", "bob", "--password"});
  ASSERT_TRUE(session->wait_for("New password: ")) << session->screen();
  session->type("Bobs-Secret-9\n");
  ASSERT_TRUE(session->wait_for("Retype new password: ")) << session->screen();
  session->type("Bobs-Secret-9\n");
  EXPECT_EQ(session->finish().exit_code, 0) << session->screen();
  EXPECT_EQ(session->screen().find("Bobs-Secret-9"), std::string::npos) << session->screen();
  EXPECT_EQ(cli({"check-password", "bob", "--password-stdin"}, "Bobs-Secret-9\n").exit_code, 0);
}

TEST_P(TerminalPromptTest, WithoutATerminalThePromptFormsPointToPasswordStdin) {
  add_user("alice");
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"passwd", "alice"}, "piped\n"), 2, "--password-stdin"));
  EXPECT_TRUE(Failed(cli({"add", "bob", "--password"}, "piped\n"), 2, "--password-stdin"));
  EXPECT_EQ(state(), before);
  // A value on the command line stays a usage error; --password-stdin stays the scripts' way.
  EXPECT_TRUE(Failed(cli({"add", "bob", "--password", "hunter2"}), 2, "ps"));
  EXPECT_TRUE(Failed(cli({"add", "bob", "--password=hunter2"}), 2, "ps"));
  EXPECT_TRUE(MutationSucceeded(cli({"passwd", "alice", "--password-stdin"}, "Via-Stdin-3\n")));
  EXPECT_EQ(cli({"check-password", "alice", "--password-stdin"}, "Via-Stdin-3\n").exit_code, 0);
}

}  // namespace
}  // namespace usersctl::e2e
