// /etc/passwd lines (name:password:uid:gid:gecos:home:shell), with hashes from a shadow file.
// The gecos field becomes the display name; gid, home and shell the fields of those names, as
// `export --format passwd` writes them (an empty home or shell: the default).

#include <charconv>

#include "core/account_expiry.hpp"
#include "core/colon_fields.hpp"
#include "core/line_source.hpp"
#include "core/line_user_reader.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {

namespace {

std::int64_t parse_id(const std::string& field, const char* what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || error != std::errc() || end != field.data() + field.size()) {
    throw Invalid(std::string(what) + " '" + field.substr(0, 32) + "' is not a whole number");
  }
  return value;
}

// A password field: a locked or empty one carries no hash; a leading '!' locks a hash, which
// usersctl records as a disabled account with that hash. Only a shadow entry says an account
// is not locked: passwd's "x" leaves `disabled` as it is.
enum class LockSource { Passwd, Shadow };

void apply_password_field(const std::string& field, LockSource source, UserInput& out) {
  std::string_view hash = field;
  if (source == LockSource::Shadow) out.disabled = false;
  if (!hash.empty() && hash.front() == '!') {
    out.disabled = true;
    hash.remove_prefix(hash.find_first_not_of('!') == std::string_view::npos ? hash.size()
                                                                             : hash.find_first_not_of('!'));
  }
  if (hash.empty() || hash == "x" || hash == "*" || hash == "*NP*") return;
  out.password_hash = std::string(hash);
}

// A shadow day count (lastchg, expire) as the stored time of that day's start; nullopt for an
// empty field, and for a lastchg of 0 (shadow's "change it at the next login", no date).
std::optional<std::string> shadow_day(const std::string& field, const char* what, bool zero_is_none) {
  if (field.empty()) return std::nullopt;
  const std::int64_t day = parse_id(field, what);
  if (day < 0) throw Invalid(std::string(what) + " '" + field.substr(0, 32) + "' is negative");
  if (day == 0 && zero_is_none) return std::nullopt;
  try {
    return day_start(day);
  } catch (const Invalid& problem) {
    throw Invalid(std::string(what) + ": " + problem.what());
  }
}

void apply_shadow_entry(const ShadowEntry& entry, UserInput& out) {
  apply_password_field(entry.hash, LockSource::Shadow, out);
  // Only the shadow line's own fields: what it leaves empty stays as it is.
  if (const auto expire = shadow_day(entry.expire, "shadow expire", false)) out.expires_at = *expire;
  if (out.password_hash) {
    if (const auto changed = shadow_day(entry.lastchg, "shadow lastchg", true))
      out.password_changed_at = *changed;
  }
}

class PasswdUserReader final : public LineUserReader {
 public:
  PasswdUserReader(std::istream& in, std::string label, const ShadowHashes* shadow)
      : LineUserReader(in, std::move(label)), shadow_(shadow) {}

 private:
  bool skips(const std::string& line) const override { return line.empty() || line.front() == '#'; }

  void parse(UserInput& out) const override {
    if (auto problem = source_.text_problem(line_)) throw Invalid(*problem);
    const auto fields = split_colon_fields(line_);
    if (fields.size() != 7) {
      throw Invalid("has " + std::to_string(fields.size()) +
                    " fields; a passwd line has 7 (name:password:uid:gid:gecos:home:shell)");
    }
    out.username = fields[0];
    out.uid = parse_id(fields[2], "uid");
    out.gid = parse_id(fields[3], "gid");
    out.name = fields[4];
    if (!fields[5].empty()) out.home = fields[5];
    if (!fields[6].empty()) out.shell = fields[6];
    if (shadow_) {
      if (const auto entry = shadow_->find(out.username); entry != shadow_->end()) {
        apply_shadow_entry(entry->second, out);
        return;
      }
    }
    apply_password_field(fields[1], LockSource::Passwd, out);
  }

  const ShadowHashes* shadow_;
};

}  // namespace

std::unique_ptr<UserReader> make_passwd_user_reader(std::istream& in, std::string label,
                                                    const ShadowHashes* shadow) {
  return std::make_unique<PasswdUserReader>(in, std::move(label), shadow);
}

ShadowHashes read_shadow_file(std::istream& in, const std::string& label) {
  LineSource source(in, label);
  ShadowHashes hashes;
  std::string line;
  while (source.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    if (auto problem = source.text_problem(line)) throw LineError(label, source.line_number(), *problem);
    const auto fields = split_colon_fields(line);
    if (fields.size() < 2) {
      throw LineError(label, source.line_number(), "a shadow line has at least name:password");
    }
    // name:password:lastchg:min:max:warn:inactive:expire:reserved
    ShadowEntry& entry = hashes[fields[0]];
    entry.hash = fields[1];
    entry.lastchg = fields.size() > 2 ? fields[2] : std::string();
    entry.expire = fields.size() > 7 ? fields[7] : std::string();
  }
  return hashes;
}

}  // namespace usersctl::core
