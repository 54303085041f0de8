#include "core/ssh_key_service.hpp"

#include <map>

#include "core/record_change.hpp"
#include "core/validation.hpp"
#include "util/base64.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/ssh_public_key.hpp"

namespace usersctl::core {

namespace {

struct ParsedKey {
  model::SshKey key;
  std::size_t line = 0;
};

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<ParsedKey> parse_keys(std::string_view text, std::string_view label) {
  std::vector<ParsedKey> keys;
  std::map<std::string, std::size_t> seen;  // fingerprint -> line
  std::size_t number = 0;
  while (!text.empty() || number == 0) {
    ++number;
    const auto end = text.find('\n');
    const std::string_view line = trimmed(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    util::SshPublicKey parsed;
    try {
      parsed = util::parse_ssh_public_key(line);
    } catch (const Invalid& problem) {
      throw Invalid(std::string(label) + " line " + std::to_string(number) + ": " + problem.what(),
                    "nothing was added");
    }
    if (const auto [it, fresh] = seen.emplace(parsed.fingerprint, number); !fresh) {
      throw Conflict(std::string(label) + " line " + std::to_string(number) + ": the key " +
                     parsed.fingerprint + " is also on line " + std::to_string(it->second));
    }
    keys.push_back(
        {{parsed.type, util::base64_encode(parsed.blob), parsed.comment, parsed.fingerprint, ""}, number});
  }
  if (keys.empty()) throw Invalid(std::string(label) + ": no SSH public key in it");
  return keys;
}

}  // namespace

void SshKeyService::record_change(model::User user, std::vector<model::Change>& changes) {
  model::User before = user;  // read before the keys changed
  stamp_change(user, runner_.actor());
  db_.records().update_user(user);
  auto current = db_.records().find_user(user.username);  // with its new key list
  changes.push_back({model::ChangeType::UserUpdated, std::move(*current), std::nullopt, {"ssh_keys"}});
  changes.back().user_before = std::make_shared<const model::User>(std::move(before));
}

std::vector<model::Change> SshKeyService::add(std::string_view username, std::string_view text,
                                              std::string_view label) {
  validate_name(username, "user name");
  std::vector<ParsedKey> keys = parse_keys(text, label);
  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    auto user = store.find_user(username);
    if (!user) throw NotFound("user '" + std::string(username) + "' does not exist");
    std::map<std::string, bool> existing;
    for (const auto& key : store.ssh_keys(user->id)) existing[key.fingerprint] = true;
    const std::string now = util::now_rfc3339();
    for (auto& [key, line] : keys) {
      if (existing.count(key.fingerprint)) {
        throw Conflict("user '" + user->username + "' already has the key " + key.fingerprint + " (" +
                           std::string(label) + " line " + std::to_string(line) + ")",
                       "nothing was added");
      }
      key.added_at = now;
      store.insert_ssh_key(user->id, key);
    }
    record_change(std::move(*user), changes);
  });
}

std::vector<model::SshKey> SshKeyService::list(std::string_view username) {
  validate_name(username, "user name");
  std::vector<model::SshKey> keys;
  db_.read([&] {
    const auto user = db_.records().find_user(username);
    if (!user) throw NotFound("user '" + std::string(username) + "' does not exist");
    keys = db_.records().ssh_keys(user->id);
  });
  return keys;
}

std::vector<model::Change> SshKeyService::remove(std::string_view username, std::string_view fingerprint) {
  validate_name(username, "user name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    auto user = db_.records().find_user(username);
    if (!user) throw NotFound("user '" + std::string(username) + "' does not exist");
    if (!db_.records().delete_ssh_key(user->id, fingerprint)) {
      throw NotFound("user '" + user->username + "' has no key " + std::string(fingerprint),
                     "see usersctl ssh-key list " + user->username);
    }
    record_change(std::move(*user), changes);
  });
}

}  // namespace usersctl::core
