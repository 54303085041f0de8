// completion: prints the shell completion scripts; __complete (hidden) feeds them live names.

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command_setup.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/config.hpp"
#include "util/db_url.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// Most names one completion request returns: a shell offers no more than this usefully.
constexpr std::int64_t kCompletionLimit = 1000;

void setup_completion(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
  if (!is_set_up(*command, context)) return;
  command->add_option("SHELL", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command->footer(
      "The packaged scripts are installed with usersctl; these commands load the same script by hand.\n\n"
      "Examples:\n"
      "  source <(usersctl completion bash)             # in ~/.bashrc\n"
      "  usersctl completion zsh > ~/.zfunc/_usersctl   # with fpath=(~/.zfunc $fpath) before compinit\n"
      "  usersctl completion fish > ~/.config/fish/completions/usersctl.fish");
  on_run(*command, context, [shell] { std::cout << completion_script(*shell); });
}

void setup_complete(CLI::App& app, Context& context) {
  struct Options {
    std::string kind;
    std::string prefix;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(std::string(kCompleteCommand), "Names for shell completion (internal)");
  command->group("");  // hidden from --help
  if (!is_set_up(*command, context)) return;
  command->add_option("KIND", options->kind, "users, groups or profiles")
      ->required()
      ->check(CLI::IsMember({"users", "groups", "profiles"}));
  command->add_option("PREFIX", options->prefix, "What has been typed so far");
  on_run(*command, context, [&context, options] {
    const auto print = [](const std::string& name) { std::cout << name << '\n'; };
    if (options->kind == "profiles") {
      for (const auto& name : profile_names()) {
        if (name.rfind(options->prefix, 0) == 0) print(name);
      }
      return;
    }
    try {
      apply_profile(context.options);
    } catch (const Error&) {
      // A broken config file or unknown profile is for real commands to report; with --db or
      // USERSCTL_DB completion can still answer.
      if (context.options.db.empty()) return;
    }
    use_read_db(context.options);
    // Completion must not create a database as a side effect of pressing TAB: __complete reads
    // (app.cpp), so a database that is not there is exit 6, silently, with no names.
    const auto kind = options->kind == "users" ? model::NameKind::Users : model::NameKind::Groups;
    context.services().complete_names(kind, options->prefix, kCompletionLimit, print);
  });
}

}  // namespace

void setup_completion_commands(CLI::App& app, Context& context) {
  setup_completion(app, context);
  setup_complete(app, context);
}

}  // namespace usersctl::cli
