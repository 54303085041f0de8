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
    const std::vector<model::SshKey> none;
    store.list_users(model::UserQuery{}, [&](const model::User& user) {
      std::optional<std::string> hash;
      if (sinks.want_hashes) hash = store.password_hash(user.id);
      if (sinks.want_keys && !user.ssh_keys.empty()) {
        sinks.user(user, hash, store.ssh_keys(user.id));
      } else {
        sinks.user(user, hash, none);
      }
    });
  });
}

}  // namespace usersctl::core
