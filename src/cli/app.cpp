#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <set>

#include "cli/command_setup.hpp"
#include "cli/config.hpp"
#include "cli/suggest.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::cli {

namespace {

// Global options that take a value, so the subcommand scan can skip their values.
const std::set<std::string> kValueOptions = {"--db",     "--read-db", "--profile", "-o",
                                             "--output", "--fields",  "--actor"};

// The commands that write. They create the database when it is not there yet, as the first
// `usersctl add` always has; every other command only reads and opens an existing database, so a
// typo in --db (or a cron job run before the first add) never leaves an empty database behind.
const std::set<std::string> kWriteCommands = {
    "add",          "update",       "delete",       "passwd",       "ssh-key add", "ssh-key remove",
    "settings set", "group create", "group delete", "group rename", "group add",   "group remove",
    "group set",    "import",       "apply",        "hook add",     "hook remove", "hook test",
    "hook enable",  "hook disable", "events prune", "restore",      "purge",       "group restore"};

// The commands that only read records or events: with --read-db they use that URL (a standby).
const std::set<std::string> kReadOnlyCommands = {"show",        "list",        "search",      "export",
                                                 "events list", "events tail", "userdb serve"};

// The commands that need no database and no profile.
const std::set<std::string> kStandaloneCommands = {"completion", "version"};

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--db", options.db, "Database URL: PATH, sqlite:PATH or postgresql://…")
      ->envname("USERSCTL_DB")
      ->type_name("URL");
  app.add_option("--read-db", options.read_db, "Database URL for read-only commands (e.g. a standby)")
      ->envname("USERSCTL_READ_DB")
      ->type_name("URL");
  app.add_option("--profile", options.profile, "Config profile to use (db, output) from config.json")
      ->envname("USERSCTL_PROFILE")
      ->type_name("NAME");
  app.add_option("-o,--output", options.output, "Output format")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv", "tsv"}))
      ->type_name("FORMAT");
  app.add_option("--fields", options.fields, "Fields to show, in order (e.g. username,uid,attrs.team)")
      ->type_name("A,B,C");
  app.add_option("--actor", options.actor, "Name recorded as who made the change (default $SUDO_USER, $USER)")
      ->type_name("NAME");
  app.add_flag("--events", options.events, "Print the events this command caused (JSONL) on stdout");
  app.add_flag("-q,--quiet", options.quiet, "No confirmations on stderr");
  app.add_flag("--no-headers", options.no_headers, "No header row in table, csv and tsv output");
}

enum class Hidden { Include, Exclude };

// Hidden commands (`__complete`) are valid words but never suggested or listed.
std::vector<std::string> command_names(const CLI::App& app, Hidden hidden = Hidden::Include) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (hidden == Hidden::Exclude && sub->get_group().empty()) continue;
    names.push_back(sub->get_name());
  }
  return names;
}

const CLI::App* find_command(const CLI::App& app, const std::string& name) {
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The command words of the command line (global options and their values skipped), up to the
// first word that is not a command, and where the first one is.
struct CommandWords {
  std::vector<std::string> words;
  int first = -1;  // argv index of the first command word
};

// The words of the command line that are neither options nor the values of global options, with
// their argv index, up to "--".
std::vector<std::pair<int, std::string>> plain_words(int argc, char** argv) {
  std::vector<std::pair<int, std::string>> words;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind('-', 0) == 0) {
      if (kValueOptions.count(arg) > 0) ++i;
      continue;
    }
    words.emplace_back(i, arg);
  }
  return words;
}

// The top-level commands the command line names, to be set up in full: the first word, and after
// `help` the command it explains. Found before any command is set up, so only from the words.
std::set<std::string> named_commands(int argc, char** argv) {
  const auto words = plain_words(argc, argv);
  std::set<std::string> named;
  for (std::size_t i = 0; i < words.size() && i < 2; ++i) {
    named.insert(words[i].second);
    if (words[i].second != "help") break;
  }
  return named;
}

CommandWords command_words(int argc, char** argv, const CLI::App& app) {
  CommandWords found;
  const CLI::App* current = &app;
  for (const auto& [i, arg] : plain_words(argc, argv)) {
    if (current == nullptr || command_names(*current).empty()) break;  // the command's own arguments
    if (found.first < 0) found.first = i;
    found.words.push_back(arg);
    // After `help` come the words of the command it explains.
    current = found.words.size() == 1 && arg == "help" ? &app : find_command(*current, arg);
  }
  return found;
}

enum class NeedLeaf { Yes, No };

// CLI11 reports an unknown command as an unexpected argument (or a missing subcommand);
// walk the command words first so the error can name the word and suggest the closest one.
void check_command_words(const std::vector<std::string>& words, const CLI::App& app, NeedLeaf need_leaf) {
  const CLI::App* current = &app;
  std::string path;
  for (const auto& arg : words) {
    const auto names = command_names(*current);
    if (names.empty()) return;  // the rest are the command's own arguments
    if (std::find(names.begin(), names.end(), arg) == names.end()) {
      const auto suggestion = closest_match(arg, command_names(*current, Hidden::Exclude));
      throw UsageError(
          "unknown command '" + path + arg + "'",
          suggestion ? "did you mean '" + path + *suggestion + "'?" : "see usersctl " + path + "--help");
    }
    current = current->get_subcommand(arg);
    path += arg + " ";
  }
  const auto names = command_names(*current, Hidden::Exclude);
  if (need_leaf == NeedLeaf::Yes && current != &app && !names.empty()) {
    throw UsageError("'" + path.substr(0, path.size() - 1) + "' needs a command: " + joined(names));
  }
}

bool asks_for_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "--version") return true;
  }
  return false;
}

// The selected command, as its words: "group create".
std::string selected_command(const CLI::App& app) {
  std::string path;
  for (const CLI::App* current = &app;;) {
    const auto selected = current->get_subcommands();
    if (selected.empty()) return path;
    current = selected.front();
    path += (path.empty() ? "" : " ") + current->get_name();
  }
}

// `usersctl help [COMMAND...]` is `usersctl [COMMAND...] --help`: the words are checked (a
// mistyped one gets its suggestion), then CLI11 prints that command's help on stdout, exit 0.
std::vector<std::string> help_as_flag(int argc, char** argv, const CommandWords& found, const CLI::App& app) {
  std::vector<std::string> args(argv, argv + argc);
  args.erase(args.begin() + found.first);
  std::vector<std::string> topic(found.words.begin() + 1, found.words.end());
  check_command_words(topic, app, NeedLeaf::No);
  args.emplace_back("--help");
  return args;
}

// Parses argv into `app`. Returns the exit code when parsing already answered: --help, --version,
// `help COMMAND...`, or no command at all.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  if (argc == 1) {
    // No command at all: what people type first to see what there is. The help, on stderr as
    // for every usage error, and exit 2.
    std::cerr << app.help();
    return static_cast<int>(ExitCode::Usage);
  }
  const CommandWords found = command_words(argc, argv, app);
  std::vector<std::string> args(argv, argv + argc);
  // (`help --help` is help's own help.)
  if (!found.words.empty() && found.words.front() == "help" && !asks_for_help(argc, argv)) {
    args = help_as_flag(argc, argv, found, app);
  }
  std::vector<char*> arg_pointers;
  for (auto& arg : args) arg_pointers.push_back(arg.data());
  try {
    if (!asks_for_help(static_cast<int>(args.size()), arg_pointers.data())) {
      check_command_words(found.words, app, NeedLeaf::Yes);
    }
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    throw UsageError(error.what(), "see usersctl --help");
  }
  return std::nullopt;
}

// Values that reach the database are UTF-8 text: PostgreSQL refuses anything else (SQLSTATE 22021)
// where SQLite would compare the bytes, so both refuse it here, before any database is opened
// (exit 5, as for invalid UTF-8 in a file). File names are bytes and exempt.
void check_utf8_arguments(const CLI::App& app) {
  static const std::set<std::string> kFileOptions{"--db",          "FILE",   "--shadow", "--group-file",
                                                  "--secret-file", "--file", "--socket"};
  for (const CLI::Option* option : app.get_options()) {
    if (kFileOptions.count(option->get_name()) > 0) continue;
    for (const std::string& value : option->results()) {
      if (!util::is_valid_utf8(value)) {
        throw Invalid(option->get_name() + ": the value is not valid UTF-8",
                      "usersctl takes UTF-8 text only");
      }
    }
  }
  for (const CLI::App* command : app.get_subcommands()) check_utf8_arguments(*command);
}

int run_app(int argc, char** argv) {
  CLI::App app{"usersctl: user and group records on SQLite or PostgreSQL, with change events", "usersctl"};
  app.set_version_flag("--version", std::string("usersctl ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand
  app.footer(
      "Global options may also follow the command. 'usersctl COMMAND --help' shows a command's options;\n"
      "man usersctl has exit codes, environment, files and the event format.\n\n"
      "Examples:\n"
      "  usersctl add alice --email alice@example.com --group staff\n"
      "  usersctl list --where attrs.team=ops | jq -r .email\n"
      "  usersctl --profile staging group show developers\n"
      "  usersctl events tail --follow");

  Context context;
  context.named_commands = named_commands(argc, argv);
  add_global_options(app, context.options);
  setup_user_commands(app, context);
  setup_group_commands(app, context);
  setup_health_command(app, context);
  setup_event_commands(app, context);
  setup_hook_commands(app, context);
  setup_transfer_commands(app, context);
  setup_settings_commands(app, context);
  setup_history_commands(app, context);
  setup_recycle_bin_commands(app, context);
  setup_ssh_key_commands(app, context);
  setup_completion_commands(app, context);
  setup_userdb_commands(app, context);
  setup_help_commands(app, context);

  if (const auto answered = parse_command_line(app, argc, argv)) return *answered;
  check_utf8_arguments(app);
  const std::string command = selected_command(app);
  context.open_mode =
      kWriteCommands.count(command) > 0 ? model::OpenMode::CreateIfMissing : model::OpenMode::MustExist;
  // `--db "$UNSET_VARIABLE"` must not quietly fall back to the default database.
  if (app.get_option("--db")->count() > 0 && context.options.db.empty()) {
    throw UsageError("--db: empty database URL", "omit --db to use the default database");
  }
  // Profiles choose the database and output. The completion scripts need neither, so a broken
  // config file must not keep them from printing; __complete applies the profile itself.
  if (kStandaloneCommands.count(command) == 0 && command != kCompleteCommand) {
    apply_profile(context.options);
    if (kReadOnlyCommands.count(command) > 0) use_read_db(context.options);
  }
  if (context.action) context.action();
  context.after_commit();
  return context.exit_code;
}

}  // namespace

int run(int argc, char** argv) {
  // Completion must never spew: the shell would show the error in the middle of the command line.
  // The exit code still tells (6: no database there), for whoever asks.
  if (argc > 1 && argv[1] == kCompleteCommand) {
    try {
      return run_app(argc, argv);
    } catch (const Error& error) {
      return static_cast<int>(error.code());
    } catch (...) {
      return static_cast<int>(ExitCode::Internal);
    }
  }
  return run_app(argc, argv);
}

}  // namespace usersctl::cli
