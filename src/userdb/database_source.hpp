#pragma once
// The AccountSource over usersctl's own database: what `usersctl userdb serve` serves.
//
// Connections: SQLite and PostgreSQL connections are not thread-safe, so each call borrows one
// open database (a core::Services) from a small pool for its duration and gives it back after;
// the pool grows to the number of workers at most, opened lazily. A connection that failed is
// dropped, not reused, so a restarted PostgreSQL is reconnected to on the next call.
//
// Freshness: nothing is cached; every call is one read transaction, so a change is served as
// soon as it committed.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/services.hpp"
#include "userdb/account.hpp"

namespace usersctl::userdb {

class DatabaseAccountSource : public AccountSource {
 public:
  // `db_url` as --db takes it (empty: the default file).
  explicit DatabaseAccountSource(std::string db_url);
  ~DatabaseAccountSource() override;

  // Opens one connection now (and keeps it), so that a bad URL or unreachable database is reported
  // at start. Throws what opening throws.
  void check_connection();

  std::optional<UserAccount> find_user(const AccountKey& key) override;
  std::optional<GroupAccount> find_group(const AccountKey& key) override;
  void for_each_user(const UserSink& sink) override;
  void for_each_group(const GroupSink& sink) override;
  void for_each_membership(const NameFilter& user, const NameFilter& group,
                           const MembershipSink& sink) override;

 private:
  std::unique_ptr<core::Services> borrow();
  void give_back(std::unique_ptr<core::Services> services);
  // Runs `work` on a borrowed connection; a connection that threw is closed, not given back.
  void with_accounts(const std::function<void(core::AccountService&)>& work);

  std::string db_url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<core::Services>> idle_;
};

}  // namespace usersctl::userdb
