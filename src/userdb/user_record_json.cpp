#include "userdb/user_record_json.hpp"

namespace usersctl::userdb {
namespace {

// A ':' or a control character would break the passwd line nss-systemd builds from the record
// (and systemd rejects such a realName), so they become spaces.
std::string passwd_safe(std::string_view text) {
  std::string safe(text);
  for (char& c : safe) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ':' || byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return safe;
}

// Empty fields mean what passwd(5) says they mean, stated explicitly: systemd's own defaults
// (/home/NAME, /bin/bash) would differ from what the same account shows in /etc/passwd.
std::string home_or_root(const std::string& home) { return home.empty() ? "/" : home; }
std::string shell_or_default(const std::string& shell) { return shell.empty() ? "/bin/sh" : shell; }

nlohmann::json privileged_section(const UserAccount& user) {
  nlohmann::json privileged = {{"hashedPassword", nlohmann::json::array({served_password_hash(user)})}};
  if (!user.ssh_authorized_keys.empty()) privileged["sshAuthorizedKeys"] = user.ssh_authorized_keys;
  return privileged;
}

}  // namespace

bool may_see_privileged(std::optional<std::uint32_t> peer_uid, const UserAccount& user) {
  return peer_uid && (*peer_uid == 0 || *peer_uid == user.uid);
}

std::string served_password_hash(const UserAccount& user) {
  const bool has_hash = user.hashed_password && !user.hashed_password->empty();
  if (!has_hash) return "!*";
  if (user.locked) return "!" + *user.hashed_password;
  return *user.hashed_password;
}

nlohmann::json user_record(const UserAccount& user, std::string_view service, bool privileged) {
  nlohmann::json record = {
      {"userName", user.name},
      {"uid", user.uid},
      {"gid", user.gid},
      {"realName", passwd_safe(user.gecos)},
      {"homeDirectory", home_or_root(user.home)},
      {"shell", shell_or_default(user.shell)},
      {"locked", user.locked},
      {"disposition", "regular"},
      {"service", std::string(service)},
  };
  if (user.email && !user.email->empty()) record["emailAddress"] = *user.email;
  if (!user.member_of.empty()) record["memberOf"] = user.member_of;
  if (user.not_before_usec) record["notBeforeUSec"] = *user.not_before_usec;
  if (user.not_after_usec) record["notAfterUSec"] = *user.not_after_usec;
  if (privileged) record["privileged"] = privileged_section(user);
  return record;
}

nlohmann::json group_record(const GroupAccount& group, std::string_view service) {
  nlohmann::json record = {
      {"groupName", group.name},
      {"gid", group.gid},
      {"disposition", "regular"},
      {"service", std::string(service)},
  };
  if (group.description && !group.description->empty()) record["description"] = *group.description;
  if (!group.members.empty()) record["members"] = group.members;
  return record;
}

nlohmann::json user_reply(const UserAccount& user, std::string_view service,
                          std::optional<std::uint32_t> peer_uid) {
  const bool privileged = may_see_privileged(peer_uid, user);
  // Every record has a privileged section (at least its hash), so withholding it always makes
  // the record incomplete.
  return {{"record", user_record(user, service, privileged)}, {"incomplete", !privileged}};
}

nlohmann::json group_reply(const GroupAccount& group, std::string_view service) {
  return {{"record", group_record(group, service)}, {"incomplete", false}};
}

}  // namespace usersctl::userdb
