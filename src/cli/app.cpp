#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <set>

#include "cli/command_setup.hpp"
#include "cli/config.hpp"
#include "cli/suggest.hpp"
#include "util/errors.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::cli {

namespace {

// Global options that take a value, so the subcommand scan can skip their values.
const std::set<std::string> kValueOptions = {"--db", "--profile", "-o", "--output", "--fields", "--actor"};

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--db", options.db, "Database URL: PATH, sqlite:PATH or postgresql://…")
      ->envname("USERSCTL_DB")
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

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// CLI11 reports an unknown command as an unexpected argument (or a missing subcommand);
// walk the command words first so the error can name the word and suggest the closest one.
void check_command_words(int argc, char** argv, const CLI::App& app) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "--version") return;
  }
  const CLI::App* current = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind('-', 0) == 0) {
      if (kValueOptions.count(arg) > 0) ++i;
      continue;
    }
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
  if (current != &app && !names.empty()) {
    throw UsageError("'" + path.substr(0, path.size() - 1) + "' needs a command: " + joined(names));
  }
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
  add_global_options(app, context.options);
  setup_user_commands(app, context);
  setup_group_commands(app, context);
  setup_health_command(app, context);
  setup_event_commands(app, context);
  setup_hook_commands(app, context);
  setup_transfer_commands(app, context);
  setup_settings_commands(app, context);
  setup_ssh_key_commands(app, context);
  setup_completion_commands(app, context);
  setup_userdb_commands(app, context);

  try {
    check_command_words(argc, argv, app);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    throw UsageError(error.what(), "see usersctl --help");
  }
  // `--db "$UNSET_VARIABLE"` must not quietly fall back to the default database.
  if (app.get_option("--db")->count() > 0 && context.options.db.empty()) {
    throw UsageError("--db: empty database URL", "omit --db to use the default database");
  }
  // Profiles choose the database and output. The completion scripts need neither, so a broken
  // config file must not keep them from printing; __complete applies the profile itself.
  if (!app.got_subcommand("completion") && !app.got_subcommand(std::string(kCompleteCommand))) {
    apply_profile(context.options);
  }
  if (context.action) context.action();
  context.after_commit();
  return context.exit_code;
}

}  // namespace

int run(int argc, char** argv) {
  // Completion must never spew: the shell would show the error in the middle of the command line.
  if (argc > 1 && argv[1] == kCompleteCommand) {
    try {
      run_app(argc, argv);
    } catch (...) {
    }
    return 0;
  }
  return run_app(argc, argv);
}

}  // namespace usersctl::cli
