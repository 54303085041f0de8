#include "model/user_json.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include "util/json_text.hpp"

namespace usersctl::model {

namespace {

// Appends `"name":` (after a comma unless first) and tracks whether all text was UTF-8.
struct Writer {
  std::string& out;
  bool ok = true;

  void key(const char* name, bool first = false) {
    if (!first) out += ',';
    out += '"';
    out += name;
    out += "\":";
  }
  void string(std::string_view text) { ok = ok && util::append_json_string(out, text); }
  void optional_string(const std::optional<std::string>& text) {
    if (text) {
      string(*text);
    } else {
      out += "null";
    }
  }
  void integer(std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
  void strings(const std::vector<std::string>& values) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      string(values[i]);
    }
    out += ']';
  }
  void attrs(const Attributes& attrs) {
    out += '{';
    bool first = true;
    for (const auto& [name, value] : attrs) {
      if (!first) out += ',';
      first = false;
      string(name);
      out += ':';
      string(value);
    }
    out += '}';
  }
};

}  // namespace

// user_record's fields in its order (records.cpp).
bool append_user_json(std::string& out, const User& user) {
  const std::size_t start = out.size();
  Writer w{out};
  out += '{';
  w.key("username", true), w.string(user.username);
  w.key("uid"), w.integer(user.uid);
  w.key("gid"), w.integer(user.gid);
  w.key("name"), w.string(user.name);
  w.key("email"), w.optional_string(user.email);
  w.key("home"), w.string(user.home);
  w.key("shell"), w.string(user.shell);
  w.key("groups"), w.strings(user.groups);
  w.key("ssh_keys"), w.strings(user.ssh_keys);
  w.key("attrs"), w.attrs(user.attrs);
  w.key("disabled"), out += user.disabled ? "true" : "false";
  w.key("valid_from"), w.optional_string(user.valid_from);
  w.key("expires_at"), w.optional_string(user.expires_at);
  w.key("password_changed_at"), w.optional_string(user.password_changed_at);
  w.key("created_at"), w.string(user.created_at);
  w.key("updated_at"), w.string(user.updated_at);
  w.key("created_by"), w.string(user.created_by);
  w.key("updated_by"), w.string(user.updated_by);
  w.key("version"), w.integer(user.version);
  if (user.deleted_at) {  // in the recycle bin
    w.key("deleted_at"), w.string(*user.deleted_at);
    w.key("deleted_by"), w.optional_string(user.deleted_by);
  }
  out += '}';
  if (!w.ok) out.resize(start);
  return w.ok;
}

}  // namespace usersctl::model
