#include "cli/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/errors.hpp"
#include "util/json_error.hpp"

namespace usersctl::cli {

namespace {

const std::vector<std::string> kOutputFormats = {"table", "json", "jsonl", "csv", "tsv"};

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

// "~/x" → "$HOME/x", also after a "sqlite:" scheme, so a shared config can name files in each home.
std::string expand_home(const std::string& url) {
  const std::string scheme = "sqlite:";
  const bool has_scheme = url.rfind(scheme, 0) == 0;
  const std::string path = has_scheme ? url.substr(scheme.size()) : url;
  if (path.rfind("~/", 0) != 0 || home_dir().empty()) return url;
  return (has_scheme ? scheme : "") + home_dir() + path.substr(1);
}

[[noreturn]] void bad_config(const std::string& path, const std::string& why) {
  throw Invalid("config file '" + path + "': " + why);
}

std::optional<std::string> string_member(const std::string& path, const nlohmann::json& object,
                                         const std::string& key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (!it->is_string()) bad_config(path, where + key + " must be a string");
  return it->get<std::string>();
}

Profile parse_profile(const std::string& path, const std::string& name, const nlohmann::json& value) {
  const std::string where = "profiles." + name + ".";
  if (!value.is_object()) bad_config(path, "profiles." + name + " must be an object");
  for (const auto& [key, member] : value.items()) {
    if (key != "db" && key != "read_db" && key != "output") {
      bad_config(
          path,
          std::string("unknown setting ").append(where).append(key).append(" (known: db, read_db, output)"));
    }
  }
  Profile profile;
  profile.db = string_member(path, value, "db", where);
  if (profile.db) {
    if (profile.db->empty()) bad_config(path, where + "db is empty");
    profile.db = expand_home(*profile.db);
  }
  profile.read_db = string_member(path, value, "read_db", where);
  if (profile.read_db) {
    if (profile.read_db->empty()) bad_config(path, where + "read_db is empty");
    profile.read_db = expand_home(*profile.read_db);
  }
  profile.output = string_member(path, value, "output", where);
  if (profile.output &&
      std::find(kOutputFormats.begin(), kOutputFormats.end(), *profile.output) == kOutputFormats.end()) {
    bad_config(path, where + "output '" + *profile.output + "' is not one of table, json, jsonl, csv, tsv");
  }
  return profile;
}

std::string joined_names(const Config& config) {
  std::string out;
  for (const auto& [name, profile] : config.profiles) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string config_path() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && xdg[0] == '/') {
    base = xdg;
  } else if (!home_dir().empty()) {
    base = home_dir() + "/.config";
  } else {
    return "";
  }
  return base + "/usersctl/config.json";
}

std::optional<Config> load_config(const std::string& path) {
  if (path.empty()) return std::nullopt;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    bad_config(path, std::string("cannot read it: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) bad_config(path, "it is a directory");
  std::ifstream file(path);
  if (!file) bad_config(path, std::string("cannot read it: ") + std::strerror(errno));
  std::stringstream content;
  content << file.rdbuf();

  nlohmann::json document;
  try {
    document = nlohmann::json::parse(content.str());
  } catch (const nlohmann::json::parse_error& error) {
    // The position only: nlohmann quotes what it read, which may be a URL with its password.
    bad_config(path,
               "not valid JSON at " + util::json_parse_problem(error.what(), error.byte, content.str()));
  }
  if (!document.is_object()) bad_config(path, "expected a JSON object with \"profiles\"");

  Config config;
  config.path = path;
  for (const auto& [key, value] : document.items()) {
    if (key != "default_profile" && key != "profiles") {
      bad_config(path, "unknown setting " + key + " (known: default_profile, profiles)");
    }
  }
  config.default_profile = string_member(path, document, "default_profile", "");
  if (const auto profiles = document.find("profiles"); profiles != document.end()) {
    if (!profiles->is_object()) bad_config(path, "profiles must be an object of named profiles");
    for (const auto& [name, value] : profiles->items())
      config.profiles[name] = parse_profile(path, name, value);
  }
  if (config.default_profile && config.profiles.count(*config.default_profile) == 0) {
    bad_config(path, "default_profile '" + *config.default_profile + "' is not among its profiles (" +
                         joined_names(config) + ")");
  }
  return config;
}

void apply_profile(GlobalOptions& options) {
  const std::string path = config_path();
  const auto config = load_config(path);
  if (!config) {
    if (!options.profile.empty()) {
      throw UsageError("unknown profile '" + options.profile + "': there is no config file" +
                           (path.empty() ? "" : " at " + path),
                       "profiles are defined in ${XDG_CONFIG_HOME:-~/.config}/usersctl/config.json");
    }
    return;
  }
  const std::string name = options.profile.empty() ? config->default_profile.value_or("") : options.profile;
  if (name.empty()) return;
  const auto it = config->profiles.find(name);
  if (it == config->profiles.end()) {
    throw UsageError("unknown profile '" + name + "'", "profiles in " + path + ": " + joined_names(*config));
  }
  const Profile& profile = it->second;
  if (options.db.empty() && profile.db) options.db = *profile.db;
  if (options.read_db.empty() && profile.read_db) options.read_db = *profile.read_db;
  if (options.output.empty() && profile.output) options.output = *profile.output;
}

void use_read_db(GlobalOptions& options) {
  if (!options.read_db.empty()) options.db = options.read_db;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  try {
    if (const auto config = load_config(config_path())) {
      for (const auto& [name, profile] : config->profiles) names.push_back(name);
    }
  } catch (const Error&) {
    // A broken config is reported by the commands that use it, not by completion.
  }
  return names;
}

}  // namespace usersctl::cli
