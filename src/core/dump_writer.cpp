#include "core/dump_writer.hpp"

#include <charconv>

#include "util/json_text.hpp"

namespace usersctl::core {

namespace {

// JSON string escaping (RFC 8259) as every other JSON writer here does it (util::append_json_string,
// which copies plain runs in one go); stored text is valid UTF-8, and were some not, its bytes are
// still written as they are rather than lost.
void put_string(std::string& out, const std::string& text) {
  if (util::append_json_string(out, text)) return;
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

void put_key(std::string& out, const char* key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void put_field(std::string& out, const char* key, const std::string& value) {
  put_key(out, key);
  put_string(out, value);
}

void put_number(std::string& out, const char* key, std::int64_t value) {
  put_key(out, key);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void put_names(std::string& out, const char* key, const std::vector<std::string>& names) {
  put_key(out, key);
  out += '[';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    put_string(out, names[i]);
  }
  out += ']';
}

void put_map(std::string& out, const std::map<std::string, std::string>& values) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) out += ',';
    first = false;
    put_string(out, key);
    out += ':';
    put_string(out, value);
  }
  out += '}';
}

template <typename Record>
void put_history(std::string& out, const Record& record) {
  put_field(out, "created_at", record.created_at);
  put_field(out, "created_by", record.created_by);
  put_field(out, "updated_at", record.updated_at);
  put_field(out, "updated_by", record.updated_by);
  put_number(out, "version", record.version);
}

void put_keys(std::string& out, const std::vector<model::SshKey>& keys) {
  put_key(out, "ssh_keys");
  out += '[';
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ',';
    out += "{\"key\":";
    put_string(out, keys[i].line());
    put_field(out, "added_at", keys[i].added_at);
    out += '}';
  }
  out += ']';
}

}  // namespace

std::string dump_header_line() {
  return "{\"kind\":\"usersctl-dump\",\"version\":" + std::to_string(kDumpVersion) + "}";
}

std::string dump_settings_line(const std::map<std::string, std::string>& settings) {
  std::string out = "{\"kind\":\"settings\"";
  put_key(out, "values");
  put_map(out, settings);
  return out + '}';
}

void append_dump_group_line(std::string& out, const model::Group& group) {
  out += "{\"kind\":\"group\"";
  put_field(out, "name", group.name);
  put_number(out, "gid", group.gid);
  put_field(out, "description", group.description);
  put_names(out, "members", group.members);
  put_history(out, group);
  out += '}';
}

void append_dump_user_line(std::string& out, const model::User& user, const std::optional<std::string>& hash,
                           const std::vector<model::SshKey>& keys) {
  out += "{\"kind\":\"user\"";
  put_field(out, "username", user.username);
  put_number(out, "uid", user.uid);
  put_number(out, "gid", user.gid);
  put_field(out, "name", user.name);
  put_key(out, "email");
  if (user.email) {
    put_string(out, *user.email);
  } else {
    out += "null";
  }
  put_field(out, "home", user.home);
  put_field(out, "shell", user.shell);
  put_key(out, "disabled");
  out += user.disabled ? "true" : "false";
  put_names(out, "groups", user.groups);
  put_key(out, "attrs");
  put_map(out, user.attrs);
  put_keys(out, keys);
  put_key(out, "password_hash");
  if (hash && !hash->empty()) {
    put_string(out, *hash);
  } else {
    out += "null";
  }
  // The lifecycle fields only when set: a dump of accounts without them is as it was before.
  if (user.valid_from) put_field(out, "valid_from", *user.valid_from);
  if (user.expires_at) put_field(out, "expires_at", *user.expires_at);
  if (user.password_changed_at) put_field(out, "password_changed_at", *user.password_changed_at);
  put_history(out, user);
  out += '}';
}

}  // namespace usersctl::core
