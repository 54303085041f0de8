#pragma once
// Everything a directory holds, for the export formats that carry more than the records
// (dump, shadow, LDIF): stored settings, groups, and users with their password hashes and SSH
// keys, all from one read snapshot so the parts agree.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/group.hpp"
#include "model/ssh_key.hpp"
#include "model/user.hpp"
#include "store/database.hpp"

namespace usersctl::core {

struct DirectorySinks {
  std::function<void(const std::map<std::string, std::string>&)> settings;  // stored ones only
  std::function<void(const model::Group&)> group;                           // by name
  // By username. `keys` is filled (with added_at) only when want_keys.
  std::function<void(const model::User&, const std::optional<std::string>& hash,
                     const std::vector<model::SshKey>& keys)>
      user;
  bool want_hashes = true;
  bool want_keys = false;
};

class DirectoryExport {
 public:
  explicit DirectoryExport(store::Database& db) : db_(db) {}
  // Settings, then groups, then users: each sink that is set.
  void run(const DirectorySinks& sinks);

 private:
  store::Database& db_;
};

}  // namespace usersctl::core
