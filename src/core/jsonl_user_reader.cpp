// JSON Lines: one user object a line, the fields `list -o jsonl` and `export` print.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_line.hpp"
#include "core/line_user_reader.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

using nlohmann::json;

std::string text_field(const json& value, const char* field) {
  if (!value.is_string()) throw Invalid(std::string("\"") + field + "\" must be a string");
  return value.get<std::string>();
}

std::optional<std::string> nullable_text(const json& value, const char* field) {
  if (value.is_null()) return std::string();
  return text_field(value, field);
}

std::int64_t integer_field(const json& value, const char* field) {
  if (!value.is_number_integer()) throw Invalid(std::string("\"") + field + "\" must be an integer");
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    throw Invalid(std::string("\"") + field + "\" is out of range");
  }
  return value.get<std::int64_t>();
}

std::vector<std::string> groups_field(const json& value) {
  if (!value.is_array()) throw Invalid("\"groups\" must be an array of group names");
  std::vector<std::string> groups;
  for (const auto& element : value) {
    if (!element.is_string()) throw Invalid("\"groups\" must be an array of group names");
    groups.push_back(element.get<std::string>());
  }
  return groups;
}

model::Attributes attrs_field(const json& value) {
  if (value.is_null()) return {};
  if (!value.is_object()) throw Invalid("\"attrs\" must be an object of text values");
  model::Attributes attrs;
  for (const auto& [key, element] : value.items()) {
    if (!element.is_string()) throw Invalid("attribute '" + key + "' must be text");
    attrs[key] = element.get<std::string>();
  }
  return attrs;
}

bool is_read_only_field(const std::string& key) {
  // ssh_keys: managed with `usersctl ssh-key`, not by import (yet); password_changed_at follows
  // the password (`passwd`, a hash given), so what export writes imports back.
  return key == "created_at" || key == "updated_at" || key == "created_by" || key == "updated_by" ||
         key == "version" || key == "ssh_keys" || key == "password_changed_at";
}

void read_fields(const json& object, UserInput& out) {
  if (!object.is_object()) throw Invalid("a line must hold one JSON object");
  bool has_username = false;
  for (const auto& [key, value] : object.items()) {
    if (key == "username") {
      out.username = text_field(value, "username");
      has_username = true;
    } else if (key == "name") {
      out.name = nullable_text(value, "name");
    } else if (key == "email") {
      out.email = nullable_text(value, "email");
    } else if (key == "uid") {
      if (!value.is_null()) out.uid = integer_field(value, "uid");
    } else if (key == "gid") {
      if (!value.is_null()) out.gid = integer_field(value, "gid");
    } else if (key == "home") {
      if (!value.is_null()) out.home = text_field(value, "home");
    } else if (key == "shell") {
      if (!value.is_null()) out.shell = text_field(value, "shell");
    } else if (key == "disabled") {
      if (!value.is_boolean()) throw Invalid("\"disabled\" must be true or false");
      out.disabled = value.get<bool>();
    } else if (key == "groups") {
      out.groups = groups_field(value);
    } else if (key == "attrs") {
      out.attrs = attrs_field(value);
    } else if (key == "password_hash") {
      out.password_hash = text_field(value, "password_hash");
    } else if (key == "valid_from") {
      out.valid_from = nullable_text(value, "valid_from");  // null: no bound
    } else if (key == "expires_at") {
      out.expires_at = nullable_text(value, "expires_at");
    } else if (!is_read_only_field(key)) {
      throw Invalid("unknown field \"" + key + "\"");
    }
  }
  if (!has_username) throw Invalid("\"username\" is missing");
}

// A line that is no JSON object at all may be a format the file's name did not reveal (JSON
// Lines is the default): say which, so the fix is one flag away.
std::string other_format_hint(const std::string& line) {
  if (line.find_first_of("{[") == 0) return {};
  if (std::count(line.begin(), line.end(), ':') == 6)
    return "; this looks like /etc/passwd: use --format passwd";
  if (line.rfind("username,", 0) == 0) return "; this looks like CSV: use --format csv";
  return {};
}

class JsonlUserReader final : public LineUserReader {
 public:
  using LineUserReader::LineUserReader;

 private:
  // Blank lines separate nothing.
  bool skips(const std::string& line) const override {
    return line.find_first_not_of(" \t") == std::string::npos;
  }

  void parse(UserInput& out) const override {
    if (auto problem = source_.text_problem(line_)) throw Invalid(*problem);
    json object;
    try {
      object = parse_json_line(line_);
    } catch (const JsonSyntaxError& error) {
      throw Invalid(error.what() + other_format_hint(line_));
    }
    read_fields(object, out);
  }
};

}  // namespace

std::unique_ptr<UserReader> make_jsonl_user_reader(std::istream& in, std::string label) {
  return std::make_unique<JsonlUserReader>(in, std::move(label));
}

}  // namespace usersctl::core
