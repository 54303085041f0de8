#include "userdb/database_source.hpp"

#include <limits>

#include "core/time_point.hpp"

namespace usersctl::userdb {
namespace {

// uids and gids the kernel can hold; anything else is not ours to serve.
bool fits_id(std::int64_t id) { return id >= 0 && id < std::numeric_limits<std::uint32_t>::max(); }

std::optional<UserAccount> to_account(const core::PosixUser& posix) {
  const model::User& user = posix.user;
  if (!fits_id(user.uid) || !fits_id(posix.gid)) return std::nullopt;
  UserAccount account;
  account.name = user.username;
  account.uid = static_cast<std::uint32_t>(user.uid);
  account.gid = static_cast<std::uint32_t>(posix.gid);
  account.gecos = user.name;
  account.home = posix.home;
  account.shell = posix.shell;
  account.email = user.email;
  account.locked = user.disabled;
  account.hashed_password = posix.password_hash;
  account.ssh_authorized_keys = posix.ssh_keys;
  account.member_of = user.groups;
  const auto usec = [](const std::string& time) {
    return static_cast<std::uint64_t>(core::unix_ms_of(time)) * 1000;
  };
  if (user.valid_from) account.not_before_usec = usec(*user.valid_from);
  if (user.expires_at) account.not_after_usec = usec(*user.expires_at);
  return account;
}

std::optional<GroupAccount> to_account(const core::PosixGroup& posix) {
  if (!fits_id(posix.gid)) return std::nullopt;
  GroupAccount account;
  account.name = posix.name;
  account.gid = static_cast<std::uint32_t>(posix.gid);
  if (!posix.description.empty()) account.description = posix.description;
  account.members = posix.members;
  account.private_group = posix.synthesized;
  return account;
}

template <typename Posix>
auto converted(const std::optional<Posix>& posix) -> decltype(to_account(*posix)) {
  if (!posix) return std::nullopt;
  return to_account(*posix);
}

std::optional<core::PosixUser> user_by(core::AccountService& accounts, const std::string& name) {
  return accounts.user_by_name(name);
}
std::optional<core::PosixUser> user_by(core::AccountService& accounts, std::uint32_t uid) {
  return accounts.user_by_uid(uid);
}
std::optional<core::PosixGroup> group_by(core::AccountService& accounts, const std::string& name) {
  return accounts.group_by_name(name);
}
std::optional<core::PosixGroup> group_by(core::AccountService& accounts, std::uint32_t gid) {
  return accounts.group_by_gid(gid);
}

}  // namespace

DatabaseAccountSource::DatabaseAccountSource(std::string db_url) : db_url_(std::move(db_url)) {}

DatabaseAccountSource::~DatabaseAccountSource() = default;

void DatabaseAccountSource::check_connection() { give_back(borrow()); }

std::unique_ptr<core::Services> DatabaseAccountSource::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto services = std::move(idle_.back());
      idle_.pop_back();
      return services;
    }
  }
  // Opened outside the lock: a slow connect must not hold up the other workers.
  // The service never writes, so nothing ever asks for an actor.
  return std::make_unique<core::Services>(db_url_, [] { return std::string("usersctl-userdb"); });
}

void DatabaseAccountSource::give_back(std::unique_ptr<core::Services> services) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(services));
}

void DatabaseAccountSource::with_accounts(const std::function<void(core::AccountService&)>& work) {
  std::unique_ptr<core::Services> services = borrow();
  work(services->accounts());  // throws: `services` closes with the unwinding
  give_back(std::move(services));
}

std::optional<UserAccount> DatabaseAccountSource::find_user(const AccountKey& key) {
  std::optional<UserAccount> out;
  with_accounts([&](core::AccountService& accounts) {
    out = converted(std::visit([&](const auto& by) { return user_by(accounts, by); }, key));
  });
  return out;
}

std::optional<GroupAccount> DatabaseAccountSource::find_group(const AccountKey& key) {
  std::optional<GroupAccount> out;
  with_accounts([&](core::AccountService& accounts) {
    out = converted(std::visit([&](const auto& by) { return group_by(accounts, by); }, key));
  });
  return out;
}

void DatabaseAccountSource::for_each_user(const UserSink& sink) {
  with_accounts([&](core::AccountService& accounts) {
    accounts.for_each_user([&](const core::PosixUser& posix) {
      const auto account = to_account(posix);
      return !account || sink(*account);
    });
  });
}

void DatabaseAccountSource::for_each_group(const GroupSink& sink) {
  with_accounts([&](core::AccountService& accounts) {
    accounts.for_each_group([&](const core::PosixGroup& posix) {
      const auto account = to_account(posix);
      return !account || sink(*account);
    });
  });
}

void DatabaseAccountSource::for_each_membership(const std::optional<std::string>& user,
                                                const std::optional<std::string>& group,
                                                const MembershipSink& sink) {
  with_accounts([&](core::AccountService& accounts) { accounts.for_each_membership(user, group, sink); });
}

}  // namespace usersctl::userdb
