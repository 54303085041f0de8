#include "core/ldif_writer.hpp"

#include "core/account_expiry.hpp"
#include "core/ldif_value.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

bool is_ascii_printable(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) return false;
  }
  return true;
}

// The surname inetOrgPerson requires: the display name's last word, else the username.
std::string surname(const model::User& user) {
  const std::string& name = user.name;
  const auto end = name.find_last_not_of(' ');
  if (end == std::string::npos) return user.username;
  const auto start = name.find_last_of(' ', end);
  return name.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

LdifWriter::LdifWriter(std::string base_dn, bool with_hashes)
    : base_(std::move(base_dn)), with_hashes_(with_hashes) {
  if (base_.empty())
    throw Invalid("--base-dn is empty", "give the directory's suffix, such as dc=example,dc=com");
  for (const char c : base_) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw Invalid("--base-dn holds a control character");
    }
  }
  people_ = "ou=people," + base_;
  groups_ = "ou=groups," + base_;
}

std::string LdifWriter::header() const {
  std::string out = "version: 1\n\n";
  out += ldif_attribute("dn", people_) + "objectClass: organizationalUnit\nou: people\n\n";
  out += ldif_attribute("dn", groups_) + "objectClass: organizationalUnit\nou: groups\n\n";
  return out;
}

// Names follow ^[a-z_][a-z0-9_-]*[$]?$, so uid=NAME and cn=NAME need no DN escaping.
std::string LdifWriter::user_entry(const model::User& user, const std::optional<std::string>& hash) const {
  std::string out = ldif_attribute("dn", "uid=" + user.username + "," + people_);
  out += "objectClass: inetOrgPerson\nobjectClass: posixAccount\nobjectClass: shadowAccount\n";
  out += ldif_attribute("uid", user.username);
  out += ldif_attribute("cn", user.name.empty() ? user.username : user.name);
  out += ldif_attribute("sn", surname(user));
  if (user.email) out += ldif_attribute("mail", *user.email);
  out += "uidNumber: " + std::to_string(user.uid) + "\n";
  out += "gidNumber: " + std::to_string(user.gid) + "\n";
  out += ldif_attribute("homeDirectory", user.home);
  out += ldif_attribute("loginShell", user.shell);
  // gecos is an IA5String in the nis schema: only ASCII (the display name is always in cn).
  if (!user.name.empty() && is_ascii_printable(user.name)) out += ldif_attribute("gecos", user.name);
  if (const auto day = account_expiry_day(user)) out += "shadowExpire: " + std::to_string(*day) + "\n";
  if (with_hashes_) {
    const std::string value = hash && !hash->empty() ? *hash : std::string("*");
    out += ldif_attribute("userPassword", "{CRYPT}" + std::string(user.disabled ? "!" : "") + value);
  }
  return out + "\n";
}

std::string LdifWriter::group_entry(const model::Group& group) const {
  std::string out = ldif_attribute("dn", "cn=" + group.name + "," + groups_);
  out += "objectClass: posixGroup\n";
  out += ldif_attribute("cn", group.name);
  out += "gidNumber: " + std::to_string(group.gid) + "\n";
  if (!group.description.empty()) out += ldif_attribute("description", group.description);
  for (const auto& member : group.members) out += ldif_attribute("memberUid", member);
  return out + "\n";
}

}  // namespace usersctl::core
