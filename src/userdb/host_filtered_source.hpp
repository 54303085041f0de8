#pragma once
// An AccountSource that hides every record colliding with the host's own /etc/passwd and
// /etc/group: nss-systemd comes after `files`, so a colliding record would either be invisible
// or, worse, answer an id lookup the host's files did not (a second name for uid 0, say).
// A withheld user takes its user private group and its memberships along: a group or a
// membership of a user nobody can resolve would name someone else (the host's own account).

#include <set>
#include <string>

#include "userdb/account.hpp"
#include "userdb/host_accounts.hpp"

namespace usersctl::userdb {

class HostFilteredSource : public AccountSource {
 public:
  HostFilteredSource(AccountSource& inner, HostAccounts& host) : inner_(inner), host_(host) {}

  std::optional<UserAccount> find_user(const AccountKey& key) override;
  void for_each_user(const UserSink& sink) override;
  std::optional<GroupAccount> find_group(const AccountKey& key) override;
  void for_each_group(const GroupSink& sink) override;
  void for_each_membership(const NameFilter& user, const NameFilter& group,
                           const MembershipSink& sink) override;

 private:
  bool withheld(const GroupAccount& group);
  std::optional<UserAccount> visible(std::optional<UserAccount> user);
  std::optional<GroupAccount> visible(std::optional<GroupAccount> group);
  void memberships_of_user(const std::string& user, const std::optional<std::string>& group,
                           const MembershipSink& sink);

  // Our users whose uid the host has, and our groups whose gid it has, found by looking up the
  // host's few ids (never by walking the directory): what a stream of pairs is checked against.
  struct WithheldByDirectory {
    std::set<std::string, std::less<>> users;
    std::set<std::string, std::less<>> groups;
  };
  WithheldByDirectory withheld_by_id();

  AccountSource& inner_;
  HostAccounts& host_;
};

}  // namespace usersctl::userdb
