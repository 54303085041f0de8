#include "core/directory_export.hpp"

#include "core/settings.hpp"

namespace usersctl::core {

void DirectoryExport::run(const DirectorySinks& sinks) {
  store::Store& store = db_.records();
  db_.read([&] {
    if (sinks.settings) {
      std::map<std::string, std::string> stored;
      for (const auto& key : setting_keys()) {
        if (auto value = store.setting(key)) stored[key] = std::move(*value);
      }
      sinks.settings(stored);
    }
    if (sinks.group) store.list_groups(std::nullopt, sinks.group);
    if (!sinks.user) return;
    // One statement gives each user with its hash and keys (a query per user for them cost more
    // than the rest of a dump's row). What a sink did not ask for it does not see.
    const std::vector<model::SshKey> none;
    const std::optional<std::string> no_hash;
    store.list_users_with_credentials([&](const store::UserWithCredentials& row) {
      sinks.user(row.user, sinks.want_hashes ? row.password_hash : no_hash,
                 sinks.want_keys ? row.keys : none);
    });
  });
}

}  // namespace usersctl::core
