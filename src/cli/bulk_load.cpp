// import and apply: users from a file in one transaction (the bulk half of transfer.cpp).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command_setup.hpp"
#include "core/bulk_service.hpp"
#include "output/plan_writer.hpp"
#include "output/progress.hpp"
#include "output/terminal.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

struct BulkArguments {
  std::string file;
  std::string format;  // empty: from the file name
  std::string shadow_file;
  std::string group_file;
  bool dry_run = false;
  bool upsert = false;
  bool prune = false;
};

// An input file or stdin ("-"), opened for reading.
class InputFile {
 public:
  explicit InputFile(const std::string& path) {
    if (path == "-") {
      label_ = "stdin";
      return;
    }
    label_ = path;
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      throw UsageError("cannot read '" + path + "': it is a directory");
    }
    file_.open(path, std::ios::binary);
    if (!file_) throw UsageError("cannot open '" + path + "': " + std::strerror(errno));
    size_ = std::filesystem::file_size(path, error);
    if (error) size_ = 0;
  }
  std::istream& stream() { return file_.is_open() ? static_cast<std::istream&>(file_) : std::cin; }
  const std::string& label() const { return label_; }
  std::uint64_t size() const { return size_; }

 private:
  std::ifstream file_;
  std::string label_;
  std::uint64_t size_ = 0;
};

core::InputFormat input_format(const BulkArguments& args) {
  if (!args.format.empty()) return core::parse_input_format(args.format);
  // The name decides: x.csv, x.passwd (or a file named passwd), x.jsonl; else JSON Lines, whose
  // errors hint at --format when a line looks like another format.
  const std::filesystem::path path(args.file);
  if (path.extension() == ".csv") return core::InputFormat::Csv;
  if (path.extension() == ".passwd" || path.filename() == "passwd") return core::InputFormat::Passwd;
  return core::InputFormat::Jsonl;
}

// A dry run's plan waits in an unlinked temporary file until the whole input has been found
// good: on a problem stdout stays empty, as for every failed command.
class PlanSpool {
 public:
  PlanSpool() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp == '/' ? tmp : "/tmp") + "/usersctl-plan-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
      throw Unavailable("cannot create a temporary file in " + pattern.substr(0, pattern.rfind('/')));
    ::close(fd);
    spool_.open(pattern, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
    ::unlink(pattern.c_str());
    if (!spool_) throw Unavailable("cannot open a temporary file for the plan");
  }
  std::ostream& stream() { return spool_; }
  void copy_to(std::ostream& out) {
    spool_.flush();
    spool_.seekg(0);
    out << spool_.rdbuf();
    out.flush();
  }

 private:
  std::fstream spool_;
};

std::string count(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string describe(const core::BulkSummary& summary, const char* verb_created, const char* verb_updated,
                     const char* verb_deleted) {
  std::string text = count(summary.created, "user", "users") + " " + verb_created + ", " +
                     std::to_string(summary.updated) + " " + verb_updated + ", " +
                     std::to_string(summary.deleted) + " " + verb_deleted + ", " +
                     std::to_string(summary.unchanged) + " unchanged";
  if (summary.groups_created > 0)
    text += ", " + count(summary.groups_created, "group", "groups") + " " + verb_created;
  if (summary.members_added > 0)
    text += ", " + count(summary.members_added, "membership", "memberships") + " added";
  return text;
}

// Every problem on its own line, then what it means; a single problem is the error itself.
[[noreturn]] void report_failure(const core::BulkFailure& failure, const std::string& nothing_done) {
  if (failure.problems.size() == 1) throw Error(failure.code(), failure.problems.front(), nothing_done);
  for (const auto& problem : failure.problems) std::cerr << "usersctl: error: " << problem << '\n';
  const std::string found = failure.truncated
                                ? "stopped after " + std::to_string(failure.problems.size()) + " problems"
                                : std::to_string(failure.problems.size()) + " problems";
  throw Error(failure.code(), found + "; " + nothing_done);
}

std::vector<core::GroupInput> read_groups(const std::string& path) {
  if (path.empty()) return {};
  InputFile file(path);
  return core::read_group_file(file.stream(), file.label());
}

core::ShadowHashes read_shadow(const std::string& path) {
  InputFile file(path);
  return core::read_shadow_file(file.stream(), file.label());
}

enum class BulkCommand { Import, Apply };

void run_bulk(Context& context, const BulkArguments& args, BulkCommand command) {
  const core::InputFormat format = input_format(args);
  if (!args.shadow_file.empty() && format != core::InputFormat::Passwd) {
    throw UsageError("--shadow goes with --format passwd");
  }
  if (args.file == "-" && (args.shadow_file == "-" || args.group_file == "-")) {
    throw UsageError("only one input can come from stdin");
  }
  const core::ShadowHashes shadow =
      args.shadow_file.empty() ? core::ShadowHashes{} : read_shadow(args.shadow_file);
  const std::vector<core::GroupInput> groups = read_groups(args.group_file);
  InputFile input(args.file);
  auto reader = core::make_user_reader(format, input.stream(), input.label(),
                                       args.shadow_file.empty() ? nullptr : &shadow);

  core::BulkOptions options;
  options.existing = command == BulkCommand::Apply || args.upsert ? core::ExistingUser::Update
                                                                  : core::ExistingUser::Conflict;
  options.absent = args.prune ? core::AbsentUser::Delete : core::AbsentUser::Keep;
  options.run = args.dry_run ? core::BulkRun::DryRun : core::BulkRun::Commit;
  options.group_file_label = args.group_file;

  std::unique_ptr<PlanSpool> spool;
  std::unique_ptr<output::PlanWriter> plan_writer;
  model::PlanSink plan;
  if (args.dry_run) {
    spool = std::make_unique<PlanSpool>();
    const auto style =
        output::is_terminal(STDOUT_FILENO) ? output::PlanStyle::Diff : output::PlanStyle::Jsonl;
    plan_writer = output::make_plan_writer(style, spool->stream());
    plan = [&](const model::PlannedChange& step) { plan_writer->write(step); };
  }
  const char* what = command == BulkCommand::Import ? "import" : "apply";
  output::Progress progress(output::progress_display(context.options.quiet), what, input.size());
  std::uint64_t records = 0;
  core::BulkSummary summary;
  try {
    summary = context.bulk().load(*reader, groups, options, plan,
                                  [&] { progress.update(reader->position(), ++records); });
  } catch (const core::BulkFailure& failure) {
    report_failure(failure, command == BulkCommand::Import ? "nothing was imported" : "nothing was changed");
  }
  progress.finish();
  if (args.dry_run) {
    spool->copy_to(std::cout);
    context.note("dry run: " + describe(summary, "to create", "to update", "to delete") +
                 "; nothing was changed");
  } else if (summary.changes() == 0) {
    context.note(std::string(what) + ": " + describe(summary, "created", "updated", "deleted") +
                 "; nothing to do");
  } else {
    context.note(std::string(what) + ": " + describe(summary, "created", "updated", "deleted"));
  }
}

void add_input_options(CLI::App& command, BulkArguments& args) {
  command.add_option("FILE", args.file, "The file to read, or - for stdin")->required()->type_name("FILE|-");
  command
      .add_option(
          "--format", args.format,
          "jsonl (as export writes), csv (header row: username,name,email,uid,disabled,groups,attrs.KEY) "
          "or passwd (/etc/passwd lines); default: csv for *.csv, passwd for *.passwd or a file named "
          "passwd, else jsonl")
      ->check(CLI::IsMember({"jsonl", "csv", "passwd"}))
      ->type_name("FORMAT");
  command.add_flag("--dry-run", args.dry_run,
                   "Change nothing: print the plan (a diff on a terminal, JSON Lines when piped)");
}

void setup_import(CLI::App& app, Context& context) {
  auto args = std::make_shared<BulkArguments>();
  auto* command =
      app.add_subcommand("import", "Create users from a file, all or nothing, in one transaction");
  add_input_options(*command, *args);
  command->add_flag("--upsert", args->upsert,
                    "Update users that already exist (without it they are a conflict, exit 4)");
  command
      ->add_option("--shadow", args->shadow_file,
                   "With --format passwd: take password hashes from this shadow file")
      ->type_name("FILE");
  command
      ->add_option("--group-file", args->group_file,
                   "Create the groups of this /etc/group file (when missing) and add their members")
      ->type_name("FILE");
  command->footer(
      "Any bad line stops the import (exit 5) with every problem and its line; nothing is written.\n\n"
      "Examples:\n  usersctl import users.jsonl\n  usersctl import --dry-run users.csv\n"
      "  usersctl import --format passwd --shadow shadow --group-file group passwd\n"
      "  usersctl export | ssh host usersctl import --upsert -");
  command->callback([&context, args] {
    context.action = [&context, args] { run_bulk(context, *args, BulkCommand::Import); };
  });
}

void setup_apply(CLI::App& app, Context& context) {
  auto args = std::make_shared<BulkArguments>();
  auto* command = app.add_subcommand("apply", "Make the users match a desired-state file (JSONL or CSV)");
  add_input_options(*command, *args);
  command->add_flag("--prune", args->prune, "Also delete users the file does not list");
  command->footer(
      "Creates missing users, updates the fields that differ (fields the file leaves out stay as\n"
      "they are) and, with --prune, deletes users the file lacks; all in one transaction.\n"
      "Running the same apply twice changes nothing the second time.\n\n"
      "Examples:\n  usersctl apply --dry-run users.jsonl\n  usersctl apply --prune users.csv");
  command->callback([&context, args] {
    context.action = [&context, args] { run_bulk(context, *args, BulkCommand::Apply); };
  });
}

}  // namespace

void setup_bulk_commands(CLI::App& app, Context& context) {
  setup_import(app, context);
  setup_apply(app, context);
}

}  // namespace usersctl::cli
