// ssh-authorized-keys and the host's own accounts (issue 14): sshd resolves a name that
// /etc/passwd has to the host's account, so a usersctl user of that name must get no keys printed
// -- or our "root" would log in as the host's root.

#include <fstream>
#include <string>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

const std::string kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAz someone@laptop";

class AuthorizedKeysHostTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(AuthorizedKeysHostTest);

TEST_P(AuthorizedKeysHostTest, AUserNamedLikeAHostAccountGetsNoKeys) {
  // Every host has root in /etc/passwd; the test reads the file rather than assuming it.
  std::ifstream passwd("/etc/passwd");
  std::string first;
  std::getline(passwd, first);
  ASSERT_EQ(first.rfind("root:", 0), 0u) << "expected root first in /etc/passwd";
  add_user("root", {"--uid", "70000"});
  ASSERT_TRUE(MutationSucceeded(cli({"ssh-key", "add", "root", kKey})));
  const RunResult host_name = cli({"ssh-authorized-keys", "root"});
  EXPECT_EQ(host_name.exit_code, 0) << host_name.err;
  EXPECT_EQ(host_name.out, "");
  // The same key on a name the host does not have is printed: the check is the name, not the key.
  add_user("usersctlonly", {"--uid", "70001"});
  ASSERT_TRUE(MutationSucceeded(cli({"ssh-key", "add", "usersctlonly", kKey})));
  EXPECT_EQ(cli({"ssh-authorized-keys", "usersctlonly"}).out, kKey + "\n");
}

}  // namespace
}  // namespace usersctl::e2e
