#include "cli/mutation_plan.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/confirm.hpp"
#include "output/plan_writer.hpp"
#include "output/terminal.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

void add_dry_run(CLI::App& command, bool& dry_run) {
  command.add_flag("--dry-run", dry_run,
                   "Change nothing: print the plan (a diff on a terminal, JSON Lines when piped)");
}

void add_safety_options(CLI::App& command, Safety& safety, const char* yes_help) {
  add_dry_run(command, safety.dry_run);
  command.add_flag("-y,--yes", safety.yes, yes_help);
}

namespace {

// Thrown from the review to roll the planning run back.
struct Planned {};

// Clears the review however the run ends, so a later mutation of this process is not reviewed.
class ReviewScope {
 public:
  ReviewScope(Context& context, core::MutationRunner::Review review) : context_(context) {
    context_.services().set_review(std::move(review));
  }
  ~ReviewScope() { context_.services().set_review({}); }
  ReviewScope(const ReviewScope&) = delete;
  ReviewScope& operator=(const ReviewScope&) = delete;

 private:
  Context& context_;
};

std::vector<model::Change> plan(Context& context, const Mutation& mutation) {
  std::vector<model::Change> planned;
  ReviewScope scope(context, [&](const std::vector<model::Change>& changes) {
    planned = changes;
    throw Planned{};
  });
  try {
    mutation();
  } catch (const Planned&) {
  }
  return planned;
}

// What identifies a change for "the same as asked": its kind, names and fields, not its times.
std::string fingerprint(const std::vector<model::Change>& changes) {
  std::string text;
  for (const auto& change : changes) {
    text += model::change_type_name(change.type);
    if (change.user) text += " u:" + change.user->username;
    if (change.group) text += " g:" + change.group->name;
    for (const auto& field : change.changed_fields) text += " " + field;
    text += '\n';
  }
  return text;
}

void print_plan(Context& context, const std::vector<model::Change>& changes,
                const std::optional<model::User>& before) {
  const auto style = output::is_terminal(STDOUT_FILENO) ? output::PlanStyle::Diff : output::PlanStyle::Jsonl;
  auto writer = output::make_plan_writer(style, std::cout);
  for (const auto& change : changes) {
    const bool update = change.type == model::ChangeType::UserUpdated && before;
    writer->write({change, update ? &*before : nullptr, 0});
  }
  std::cout.flush();
  const auto n = changes.size();
  context.note("dry run: " + std::to_string(n) + (n == 1 ? " change" : " changes") + "; nothing was changed");
}

}  // namespace

std::string first_names(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 5;
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > kShown) text += ", …";
  return text;
}

std::optional<std::vector<model::Change>> run_mutation(Context& context, const Safety& safety,
                                                       const Mutation& mutation, const Question& question,
                                                       const std::optional<model::User>& before) {
  if (safety.dry_run) {
    print_plan(context, plan(context, mutation), before);
    return std::nullopt;
  }
  if (!question || safety.yes || !can_ask()) return mutation();
  const std::vector<model::Change> planned = plan(context, mutation);
  const auto what = question(planned);
  if (!what) return mutation();
  if (!confirm(*what)) aborted();
  // Between the question and the answer another writer may have changed the records.
  const std::string expected = fingerprint(planned);
  ReviewScope scope(context, [&](const std::vector<model::Change>& changes) {
    if (fingerprint(changes) != expected) {
      throw Conflict("the records changed while the question was open; nothing was changed",
                     "run the command again");
    }
  });
  return mutation();
}

}  // namespace usersctl::cli
