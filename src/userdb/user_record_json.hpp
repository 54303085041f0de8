#pragma once
// JSON User/Group Records (systemd.io/USER_RECORD, GROUP_RECORD) for the accounts we serve.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "userdb/account.hpp"

namespace usersctl::userdb {

// The privileged section (password hash, SSH keys) goes to root and to the user themself only,
// the same rule systemd-userdbd applies. An unknown peer is trusted with nothing.
bool may_see_privileged(std::optional<std::uint32_t> peer_uid, const UserAccount& user);

// The hash handed to nss-systemd's shadow entry. nss-systemd turns `locked` into an account
// expiry only, which pam_unix's authenticate step never checks: a locked user's hash is served
// with a "!" in front so that no password matches it; a user without a hash gets "!*".
std::string served_password_hash(const UserAccount& user);

nlohmann::json user_record(const UserAccount& user, std::string_view service, bool privileged);
nlohmann::json group_record(const GroupAccount& group, std::string_view service);

// The `parameters` of a GetUserRecord/GetGroupRecord reply: {"record": ..., "incomplete": ...}.
// `incomplete` tells the client the privileged section was withheld (nss-systemd then refuses
// the shadow entry instead of serving an empty hash).
nlohmann::json user_reply(const UserAccount& user, std::string_view service,
                          std::optional<std::uint32_t> peer_uid);
nlohmann::json group_reply(const GroupAccount& group, std::string_view service);

}  // namespace usersctl::userdb
