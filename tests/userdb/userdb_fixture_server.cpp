// Development tool, not installed: serves a few fixed accounts through the userdb service so the
// real client (nss-systemd: getent, id) can be tried against it, e.g. in a private mount
// namespace (tests/userdb/check_nss_systemd.sh). The password of every account is "secret".
//
//   userdb_fixture_server [--socket PATH] [--hang]
//
// --hang: every lookup blocks (10 s), like a database that stopped answering; callers must get
// ServiceNotAvailable at the deadline instead.

#include <cstdio>
#include <cstring>
#include <exception>

#include "fixed_account_source.hpp"
#include "userdb/userdb_server.hpp"
#include "util/errors.hpp"

namespace {

using usersctl::userdb::GroupAccount;
using usersctl::userdb::UserAccount;

constexpr const char* kSecretHash =
    "$6$usersctlfixture$ji5179/.f6vtXJR/CpP3bRFwsFgye48Eh2S1uOpbnqeEIy/LIqObP1Af.MpEfPycM2s/"
    "odiewhdgSxVyUmNb11";

usersctl::userdb::testing::FixedAccountSource fixture_accounts() {
  const UserAccount udalice{"udalice",
                            61001,
                            61001,
                            "Alice Fixture",
                            "/home/udalice",
                            "/bin/bash",
                            "udalice@example.org",
                            false,
                            kSecretHash,
                            {"ssh-ed25519 AAAAC3Nz udalice@fixture"},
                            {"uddevs"}};
  const UserAccount udbob{
      "udbob", 61002, 61002, "Bob Locked", "/home/udbob", "/bin/sh", std::nullopt, true, kSecretHash, {}, {}};
  return usersctl::userdb::testing::FixedAccountSource(
      {udalice, udbob}, {GroupAccount{"udalice", 61001, std::nullopt, {"udalice"}},
                         GroupAccount{"udbob", 61002, std::nullopt, {"udbob"}},
                         GroupAccount{"uddevs", 61100, "Fixture developers", {"udalice"}}});
}

}  // namespace

int main(int argc, char** argv) {
  usersctl::userdb::ServeOptions options;
  bool hang = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
      options.socket_path = argv[++i];
    } else if (std::strcmp(argv[i], "--hang") == 0) {
      hang = true;
    } else {
      std::fprintf(stderr, "usage: %s [--socket PATH] [--hang]\n", argv[0]);
      return 2;
    }
  }
  auto source = fixture_accounts();
  if (hang) source.hold();
  try {
    return usersctl::userdb::serve(options, source);
  } catch (const usersctl::Error& error) {
    std::fprintf(stderr, "userdb_fixture_server: %s\n", error.what());
    return static_cast<int>(error.code());
  }
}
