#pragma once
// A user's SSH public keys (`usersctl ssh-key`): added from authorized_keys lines, listed, removed.
// Each change is one transaction and one user.updated event with changes ["ssh_keys"].

#include <string>
#include <string_view>
#include <vector>

#include "core/mutation.hpp"
#include "model/change.hpp"
#include "model/ssh_key.hpp"
#include "store/database.hpp"

namespace usersctl::core {

class SshKeyService {
 public:
  SshKeyService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  // `text`: one or more authorized_keys lines without options; blank lines and # comments are
  // skipped. All or nothing: a malformed line is Invalid naming `label` and its line number, a key
  // the user already has (or one given twice) a Conflict. Invalid when no key is given.
  std::vector<model::Change> add(std::string_view username, std::string_view text, std::string_view label);
  std::vector<model::SshKey> list(std::string_view username);
  // NotFound when the user has no key with that fingerprint.
  std::vector<model::Change> remove(std::string_view username, std::string_view fingerprint);

 private:
  void record_change(model::User user, std::vector<model::Change>& changes);

  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
