#pragma once
// An AccountSource that hides every record colliding with the host's own /etc/passwd and
// /etc/group: nss-systemd comes after `files`, so a colliding record would either be invisible
// or, worse, answer an id lookup the host's files did not (a second name for uid 0, say).

#include "userdb/account.hpp"
#include "userdb/host_accounts.hpp"

namespace usersctl::userdb {

class HostFilteredSource : public AccountSource {
 public:
  HostFilteredSource(AccountSource& inner, HostAccounts& host) : inner_(inner), host_(host) {}

  std::optional<UserAccount> find_user_by_name(const std::string& name) override;
  std::optional<UserAccount> find_user_by_uid(std::uint32_t uid) override;
  std::optional<GroupAccount> find_group_by_name(const std::string& name) override;
  std::optional<GroupAccount> find_group_by_gid(std::uint32_t gid) override;
  void for_each_user(const UserSink& sink) override;
  void for_each_group(const GroupSink& sink) override;
  void for_each_membership(const std::optional<std::string>& user, const std::optional<std::string>& group,
                           const MembershipSink& sink) override;

 private:
  std::optional<UserAccount> visible(std::optional<UserAccount> user);
  std::optional<GroupAccount> visible(std::optional<GroupAccount> group);

  AccountSource& inner_;
  HostAccounts& host_;
};

}  // namespace usersctl::userdb
