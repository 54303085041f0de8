#include "core/dump_reader.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "core/dump_writer.hpp"
#include "core/json_line.hpp"
#include "core/settings.hpp"
#include "util/base64.hpp"
#include "util/ssh_public_key.hpp"

namespace usersctl::core {

namespace {

using nlohmann::json;

json parse_object(const std::string& line) {
  const json object = parse_json_line(line);
  if (!object.is_object()) throw Invalid("a line must hold one JSON object");
  if (!object.contains("kind") || !object["kind"].is_string()) throw Invalid("\"kind\" is missing");
  return object;
}

// A dump line has exactly the fields the writer puts in it: one missing or unknown is refused,
// so nothing is dropped without a word.
// Every one of `fields` must be there; `optional` ones may be.
void check_fields(const json& object, const std::set<std::string>& fields,
                  const std::set<std::string>& optional = {}) {
  for (const auto& [key, value] : object.items()) {
    if (!fields.count(key) && !optional.count(key)) throw Invalid("unknown field \"" + key + "\"");
  }
  for (const auto& field : fields) {
    if (!object.contains(field)) throw Invalid("\"" + field + "\" is missing");
  }
}

std::string text(const json& object, const char* field) {
  const json& value = object.at(field);
  if (!value.is_string()) throw Invalid(std::string("\"") + field + "\" must be a string");
  return value.get<std::string>();
}

std::int64_t integer(const json& object, const char* field) {
  const json& value = object.at(field);
  if (!value.is_number_integer() ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    throw Invalid(std::string("\"") + field + "\" must be an integer");
  }
  return value.get<std::int64_t>();
}

std::vector<std::string> names(const json& object, const char* field) {
  const json& value = object.at(field);
  if (!value.is_array()) throw Invalid(std::string("\"") + field + "\" must be an array of names");
  std::vector<std::string> out;
  for (const auto& element : value) {
    if (!element.is_string()) throw Invalid(std::string("\"") + field + "\" must be an array of names");
    out.push_back(element.get<std::string>());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> text_map(const json& value, const char* field) {
  if (!value.is_object()) throw Invalid(std::string("\"") + field + "\" must be an object of text values");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, element] : value.items()) {
    if (!element.is_string()) throw Invalid(std::string("\"") + field + "\": '" + key + "' must be text");
    out.emplace_back(key, element.get<std::string>());
  }
  return out;
}

KeptState kept_state(const json& object) {
  KeptState kept;
  kept.created_at = text(object, "created_at");
  kept.created_by = text(object, "created_by");
  kept.updated_at = text(object, "updated_at");
  kept.updated_by = text(object, "updated_by");
  kept.version = integer(object, "version");
  if (kept.created_at.empty() || kept.updated_at.empty()) throw Invalid("a timestamp is empty");
  if (kept.version < 1) throw Invalid("\"version\" must be at least 1");
  return kept;
}

const std::set<std::string> kHistory = {"created_at", "created_by", "updated_at", "updated_by", "version"};

std::set<std::string> with_history(std::set<std::string> fields) {
  fields.insert(kHistory.begin(), kHistory.end());
  return fields;
}

GroupInput group_of(const json& object, std::size_t line) {
  static const auto fields = with_history({"kind", "name", "gid", "description", "members"});
  check_fields(object, fields);
  GroupInput group;
  group.line = line;
  group.name = text(object, "name");
  group.gid = integer(object, "gid");
  group.description = text(object, "description");
  group.members = names(object, "members");
  group.kept = kept_state(object);
  return group;
}

std::vector<model::SshKey> keys_of(const json& value) {
  if (!value.is_array()) throw Invalid("\"ssh_keys\" must be an array");
  std::vector<model::SshKey> keys;
  std::set<std::string> fingerprints;
  for (const auto& element : value) {
    if (!element.is_object() || element.size() != 2 || !element.contains("key") ||
        !element.contains("added_at")) {
      throw Invalid("an SSH key must be {\"key\": LINE, \"added_at\": TIME}");
    }
    const auto parsed = util::parse_ssh_public_key(text(element, "key"));
    if (!fingerprints.insert(parsed.fingerprint).second)
      throw Invalid("the key " + parsed.fingerprint + " is twice");
    keys.push_back({parsed.type, util::base64_encode(parsed.blob), parsed.comment, parsed.fingerprint,
                    text(element, "added_at")});
  }
  return keys;
}

void user_of(const json& object, UserInput& out) {
  static const auto fields = with_history({"kind", "username", "uid", "gid", "name", "email", "home", "shell",
                                           "disabled", "groups", "attrs", "ssh_keys", "password_hash"});
  static const std::set<std::string> lifecycle = {"valid_from", "expires_at", "password_changed_at"};
  check_fields(object, fields, lifecycle);
  out.username = text(object, "username");
  out.uid = integer(object, "uid");
  out.gid = integer(object, "gid");
  out.name = text(object, "name");
  out.email = object.at("email").is_null() ? std::string() : text(object, "email");
  out.home = text(object, "home");
  out.shell = text(object, "shell");
  if (!object.at("disabled").is_boolean()) throw Invalid("\"disabled\" must be true or false");
  out.disabled = object.at("disabled").get<bool>();
  out.groups = names(object, "groups");
  out.attrs.emplace();
  for (auto& [key, value] : text_map(object.at("attrs"), "attrs")) (*out.attrs)[key] = std::move(value);
  if (!object.at("password_hash").is_null()) out.password_hash = text(object, "password_hash");
  out.ssh_keys = keys_of(object.at("ssh_keys"));
  if (object.contains("valid_from")) out.valid_from = text(object, "valid_from");
  if (object.contains("expires_at")) out.expires_at = text(object, "expires_at");
  if (object.contains("password_changed_at")) out.password_changed_at = text(object, "password_changed_at");
  out.kept = kept_state(object);
}

std::vector<std::pair<std::string, std::string>> settings_of(const json& object) {
  check_fields(object, {"kind", "values"});
  auto settings = text_map(object.at("values"), "values");
  for (const auto& [key, value] : settings) {
    bool known = false;
    for (const auto& name : setting_keys()) known = known || name == key;
    if (!known) throw Invalid("unknown setting '" + key + "'");
    validate_setting(key, value);
  }
  return settings;
}

}  // namespace

bool DumpReader::next_line() {
  while (source_.next(line_)) {
    if (line_.find_first_not_of(" \t") == std::string::npos) continue;
    if (auto problem = source_.text_problem(line_)) throw LineError(label(), source_.line_number(), *problem);
    return true;
  }
  return false;
}

DumpHead DumpReader::read_head() {
  DumpHead head;
  const auto fail = [&](const std::string& what) { throw LineError(label(), source_.line_number(), what); };
  try {
    if (!next_line()) fail("empty: a dump starts with {\"kind\":\"usersctl-dump\",…}");
    json first = parse_object(line_);
    if (first["kind"] != "usersctl-dump")
      fail("not a usersctl dump (its first line has kind \"usersctl-dump\")");
    check_fields(first, {"kind", "version"});
    if (integer(first, "version") != kDumpVersion)
      fail("dump version " + first["version"].dump() + " is not 1");
    while (next_line()) {
      json object = parse_object(line_);
      const std::string kind = object["kind"].get<std::string>();
      if (kind == "user") {
        pending_ = true;
        break;
      }
      if (kind == "settings") {
        for (auto& setting : settings_of(object)) head.settings.push_back(std::move(setting));
      } else if (kind == "group") {
        head.groups.push_back(group_of(object, source_.line_number()));
      } else {
        fail("unknown kind \"" + kind + "\"");
      }
    }
  } catch (const LineError&) {
    throw;
  } catch (const Invalid& problem) {
    fail(problem.what());
  }
  return head;
}

bool DumpReader::next(UserInput& out) {
  if (!pending_ && !next_line()) return false;
  pending_ = false;
  out = UserInput{};
  out.line = source_.line_number();
  try {
    json object = parse_object(line_);
    if (object["kind"] != "user") throw Invalid("settings and groups come before the first user");
    user_of(object, out);
  } catch (const Invalid& problem) {
    throw LineError(label(), out.line, problem.what());
  }
  return true;
}

}  // namespace usersctl::core
