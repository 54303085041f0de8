#pragma once
// The config file: named profiles that choose a database and a default output format.
//
//   ${XDG_CONFIG_HOME:-~/.config}/usersctl/config.json
//   {"default_profile": "prod",
//    "profiles": {"prod":    {"db": "/srv/usersctl/users.db"},
//                 "staging": {"db": "sqlite:~/staging.db", "output": "json"}}}
//
// `--profile NAME` (or USERSCTL_PROFILE) picks a profile, else default_profile does. Flags beat the
// environment, which beats the config: a profile's db applies only when neither --db nor USERSCTL_DB
// is given, its output only when -o is not.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace usersctl::cli {

struct Profile {
  std::optional<std::string> db;
  std::optional<std::string> read_db;  // for read-only commands
  std::optional<std::string> output;
};

struct Config {
  std::string path;
  std::optional<std::string> default_profile;
  std::map<std::string, Profile> profiles;
};

// ${XDG_CONFIG_HOME:-$HOME/.config}/usersctl/config.json; empty when neither variable is usable.
std::string config_path();
// The config at `path`, or nothing when there is no such file. Throws Invalid (exit 5) naming
// the file and, for bad JSON, the line and column.
std::optional<Config> load_config(const std::string& path);
// Fills options.db and options.output from the selected profile where flags and environment left
// them empty. Throws UsageError (exit 2) for an unknown --profile, Invalid for a bad config.
void apply_profile(GlobalOptions& options);
// For a read-only command: the read URL (--read-db, USERSCTL_READ_DB, the profile's read_db),
// when one is given, replaces the main one.
void use_read_db(GlobalOptions& options);
// The profile names in the config file, for completion; empty when there is none or it is bad.
std::vector<std::string> profile_names();

}  // namespace usersctl::cli
