#pragma once
// The one door from a front end (the CLI, the userdb service) into the domain. Built from the
// database URL and the actor, it opens the database once, owns the mutation runner and the
// services on it, and delivers what a command queued after it committed. Front ends include
// this and the services' own headers, never store/ or events/.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/account_service.hpp"
#include "core/bulk_service.hpp"
#include "core/consumer_service.hpp"
#include "core/directory_export.hpp"
#include "core/event_service.hpp"
#include "core/group_service.hpp"
#include "core/history_service.hpp"
#include "core/recycle_bin.hpp"
#include "core/settings.hpp"
#include "core/ssh_key_service.hpp"
#include "core/user_service.hpp"
#include "model/database_info.hpp"
#include "model/id_space.hpp"
#include "model/open_mode.hpp"
#include "model/outbox_types.hpp"

namespace usersctl::store {
class Database;
}

namespace usersctl::core {

class Services {
 public:
  // Opens the database `db_url` names (empty: the default file). `actor` is asked for the name
  // written to created_by/updated_by and events only when a service that writes is first used.
  // `mode` MustExist (read commands): a database that is not there is Unavailable, never created.
  Services(std::string_view db_url, std::function<std::string()> actor,
           model::OpenMode mode = model::OpenMode::CreateIfMissing);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  UserService& users();
  GroupService& groups();
  EventService& events();
  ConsumerService& consumers();  // events consume, consumers, consumer delete
  BulkService& bulk();
  // Read-only, never asks for the actor (the userdb service).
  AccountService& accounts();
  SettingsService& settings();
  SshKeyService& ssh_keys();
  // Read-only: settings, groups and users with hashes and keys (export --format dump|shadow|ldif).
  DirectoryExport& directory_export();
  // Read-only: a record's history and a user as it was (`history`, `show --as-of`).
  HistoryService& history();
  // Deleted users and groups: list, show, restore, purge.
  RecycleBinService& recycle_bin();

  // Up to `limit` user or group names starting with `prefix` (shell completion).
  void complete_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                      const std::function<void(const std::string&)>& sink);
  // See MutationRunner::set_review: every later single mutation is shown to `review` first.
  void set_review(MutationRunner::Review review);
  // Every event this process committed, in order (for --events).
  void committed_events(const std::function<void(const model::StoredEvent&)>& sink);
  // Whether a committed change saw something the housekeeping after it may age out (a binned
  // record, events_keep_days set), known without a read.
  bool housekeeping_due() const;
  // After the command committed: tries the deliveries it queued once, quickly. Returns one
  // warning per delivery that failed or waits; the change stands whatever happens here.
  std::vector<std::string> deliver_committed();

  // The backends built in and the schema version this binary creates on each (`version`).
  static std::vector<model::BackendSchema> built_in_backends();

 private:
  MutationRunner& runner();

  std::unique_ptr<store::Database> db_;
  std::function<std::string()> actor_;
  std::unique_ptr<MutationRunner> runner_;
  // One slot per service, each made on first use (services.cpp, made_once).
  std::tuple<std::unique_ptr<UserService>, std::unique_ptr<GroupService>, std::unique_ptr<EventService>,
             std::unique_ptr<ConsumerService>, std::unique_ptr<BulkService>, std::unique_ptr<AccountService>,
             std::unique_ptr<SettingsService>, std::unique_ptr<SshKeyService>,
             std::unique_ptr<DirectoryExport>, std::unique_ptr<HistoryService>,
             std::unique_ptr<RecycleBinService>>
      services_;
};

}  // namespace usersctl::core
