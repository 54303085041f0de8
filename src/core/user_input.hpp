#pragma once
// A user record as an import or apply file gives it. Each field is optional because files
// differ in what they carry (a CSV may have no email column); a missing field is left as it
// is on update and takes its default on create.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kept_state.hpp"
#include "model/ssh_key.hpp"
#include "model/user.hpp"

namespace usersctl::core {

struct UserInput {
  std::size_t line = 0;  // where the record starts in its file (1-based)
  std::string username;
  std::optional<std::string> name;
  std::optional<std::string> email;  // "" means none
  std::optional<std::int64_t> uid;
  std::optional<std::int64_t> gid;  // the primary group: a group's gid, or the uid (private group)
  std::optional<std::string> home;
  std::optional<std::string> shell;
  std::optional<bool> disabled;
  std::optional<std::vector<std::string>> groups;
  std::optional<model::Attributes> attrs;
  std::optional<std::string> password_hash;  // a crypt(3) hash (passwd/shadow, migration)
  // The validity window as export writes it ("" means no bound) and when the password was last
  // set (a shadow file's lastchg): RFC 3339 times or dates, put in the stored form by the loader.
  std::optional<std::string> valid_from;
  std::optional<std::string> expires_at;
  std::optional<std::string> password_changed_at;
  // A dump only: the stamps and version to keep (instead of now and the actor), and SSH keys.
  std::optional<KeptState> kept;
  std::vector<model::SshKey> ssh_keys;
};

}  // namespace usersctl::core
