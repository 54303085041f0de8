#include "core/ldif_records.hpp"

#include <charconv>
#include <optional>

#include "core/account_expiry.hpp"
#include "core/ldif_reader.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

enum class EntryKind { User, Group, Other };

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

EntryKind kind_of(const LdifEntry& entry) {
  bool user = false, group = false;
  for (const auto& attribute : entry.attributes) {
    if (attribute.name != "objectclass") continue;
    const std::string name = lower(attribute.value);
    user = user || name == "posixaccount";
    group = group || name == "posixgroup";
  }
  if (user && group) throw Invalid("an entry is either a posixAccount or a posixGroup, not both");
  return user ? EntryKind::User : group ? EntryKind::Group : EntryKind::Other;
}

std::vector<const LdifAttribute*> values(const LdifEntry& entry, const char* name) {
  std::vector<const LdifAttribute*> found;
  for (const auto& attribute : entry.attributes) {
    if (attribute.name == name) found.push_back(&attribute);
  }
  return found;
}

std::optional<std::string> single(const LdifEntry& entry, const char* name, bool required) {
  const auto found = values(entry, name);
  if (found.size() > 1) throw Invalid(std::string("'") + name + "' has more than one value");
  if (found.empty()) {
    if (required) throw Invalid(std::string("'") + name + "' is missing");
    return std::nullopt;
  }
  return found.front()->value;
}

std::int64_t number(const LdifEntry& entry, const char* name) {
  const std::string text = *single(entry, name, true);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw Invalid(std::string("'") + name + "' is not a whole number");
  }
  return value;
}

// The DN must name the entry by the attribute it was made from ("uid=alice,…", "cn=staff,…"),
// with nothing escaped or added: a DN such as "uid=alice\,ou=admins,…" or "uid=a+uidNumber=0,…"
// is refused rather than interpreted.
void check_rdn(const LdifEntry& entry, const std::string& attribute, const std::string& value) {
  const std::string prefix = attribute + "=" + value + ",";
  if (entry.dn.size() <= prefix.size() ||
      lower(entry.dn.substr(0, attribute.size() + 1)) != attribute + "=" ||
      entry.dn.compare(attribute.size() + 1, value.size() + 1, value + ",") != 0) {
    throw Invalid("DN '" + entry.dn.substr(0, 200) + "' is not " + attribute + "=" + value.substr(0, 64) +
                  ",…");
  }
}

// userPassword {CRYPT}HASH (the scheme in any case); '!' before the hash locks the account.
void read_password(const LdifEntry& entry, UserInput& out) {
  const auto password = single(entry, "userpassword", false);
  if (!password) return;
  if (lower(password->substr(0, 7)) != "{crypt}") {
    throw Invalid("userPassword is not {CRYPT}: only crypt(3) hashes can be imported");
  }
  std::string hash = password->substr(7);
  if (!hash.empty() && hash.front() == '!') {
    out.disabled = true;
    hash.erase(0, 1);
  }
  if (!hash.empty() && hash != "*") out.password_hash = hash;
}

void read_user(const LdifEntry& entry, UserInput& out) {
  out.username = *single(entry, "uid", true);
  check_rdn(entry, "uid", out.username);
  out.uid = number(entry, "uidnumber");
  out.gid = number(entry, "gidnumber");
  out.home = *single(entry, "homedirectory", true);
  if (auto shell = single(entry, "loginshell", false)) out.shell = *shell;
  const auto cn = values(entry, "cn");
  if (cn.empty()) throw Invalid("'cn' is missing");
  // export writes the username as cn when there is no display name.
  out.name = cn.front()->value == out.username ? std::string() : cn.front()->value;
  const auto mail = values(entry, "mail");
  out.email = mail.empty() ? std::string() : mail.front()->value;
  out.disabled = false;
  read_password(entry, out);
  // shadowExpire, as export writes it (account_expiry_day); -1 is how some directories say "never".
  if (single(entry, "shadowexpire", false)) {
    const std::int64_t day = number(entry, "shadowexpire");
    if (day < -1) throw Invalid("'shadowexpire' is negative");
    try {
      if (day >= 0) out.expires_at = day_start(day);
    } catch (const Invalid& problem) {
      throw Invalid(std::string("'shadowexpire': ") + problem.what());
    }
  }
}

GroupInput read_group(const LdifEntry& entry) {
  GroupInput group;
  group.line = entry.line;
  group.name = *single(entry, "cn", true);
  check_rdn(entry, "cn", group.name);
  group.gid = number(entry, "gidnumber");
  group.description = single(entry, "description", false).value_or("");
  for (const auto* member : values(entry, "memberuid")) group.members.push_back(member->value);
  return group;
}

class LdifUserReader final : public UserReader {
 public:
  LdifUserReader(std::istream& in, std::string label) : reader_(in, std::move(label)) {}

  bool next(UserInput& out) override {
    LdifEntry entry;
    while (reader_.next(entry)) {
      try {
        if (kind_of(entry) != EntryKind::User) continue;
        out = UserInput{};
        out.line = entry.line;
        read_user(entry, out);
      } catch (const Invalid& problem) {
        throw LineError(label(), entry.line, problem.what());
      }
      return true;
    }
    return false;
  }
  std::uint64_t position() const override { return reader_.position(); }
  const std::string& label() const override { return reader_.label(); }

 private:
  LdifReader reader_;
};

}  // namespace

std::vector<GroupInput> read_ldif_groups(std::istream& in, const std::string& label) {
  LdifReader reader(in, label);
  std::vector<GroupInput> groups;
  LdifEntry entry;
  while (reader.next(entry)) {
    try {
      if (kind_of(entry) == EntryKind::Group) groups.push_back(read_group(entry));
    } catch (const Invalid& problem) {
      throw LineError(label, entry.line, problem.what());
    }
  }
  return groups;
}

std::unique_ptr<UserReader> make_ldif_user_reader(std::istream& in, std::string label) {
  return std::make_unique<LdifUserReader>(in, std::move(label));
}

}  // namespace usersctl::core
