#pragma once
// --dry-run and confirmations for the single mutations (add, update, delete, group …): the
// service runs as usual, and its changes are shown before they commit. A dry run prints them as
// a plan and rolls back; a confirmation rolls back, asks, and runs again, committing only the
// same changes it asked about.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "model/change.hpp"

namespace CLI {
class App;
}

namespace usersctl::cli {

struct Safety {
  bool dry_run = false;  // --dry-run
  bool yes = false;      // --yes: never ask
};

// --dry-run (every command that changes records has it).
void add_dry_run(CLI::App& command, bool& dry_run);
// --dry-run and -y/--yes, whose help says what it stops the command asking.
void add_safety_options(CLI::App& command, Safety& safety, const char* yes_help);

using Mutation = std::function<std::vector<model::Change>()>;
// What to tell the person before these changes, or nothing when they need no yes.
using Question = std::function<std::optional<std::string>(const std::vector<model::Change>&)>;

// Runs `mutation` honouring `safety`; asks `question` (when given and stdin is a terminal).
// Returns the committed changes, or nothing after a dry run (the plan is printed, a summary noted).
// `before` is the record an update starts from, for the plan's before/after.
std::optional<std::vector<model::Change>> run_mutation(Context& context, const Safety& safety,
                                                       const Mutation& mutation,
                                                       const Question& question = {},
                                                       const std::optional<model::User>& before = {});

// "alice, bob, carol, …": the first names of a list, for questions.
std::string first_names(const std::vector<std::string>& names);

}  // namespace usersctl::cli
