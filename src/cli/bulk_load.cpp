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
#include "cli/confirm.hpp"
#include "cli/mutation_plan.hpp"
#include "cli/numeric_option.hpp"
#include "core/bulk_service.hpp"
#include "core/dump_reader.hpp"
#include "core/ldif_records.hpp"
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
  bool yes = false;               // --yes: never ask
  bool allow_empty = false;       // apply --prune --allow-empty
  std::int64_t max_deletes = -1;  // apply --prune --max-deletes N; -1: the default
};

// An unlinked temporary file, read and written: gone with the process however it ends.
void open_temporary(std::fstream& file) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp == '/' ? tmp : "/tmp") + "/usersctl-XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw Unavailable("cannot create a temporary file in " + pattern.substr(0, pattern.rfind('/')));
  ::close(fd);
  file.open(pattern, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
  ::unlink(pattern.c_str());
  if (!file) throw Unavailable("cannot open a temporary file");
}

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
    seekable_ = std::filesystem::is_regular_file(path, error);
    size_ = std::filesystem::file_size(path, error);
    if (error) size_ = 0;
  }
  std::istream& stream() {
    if (spool_.is_open()) return spool_;
    return file_.is_open() ? static_cast<std::istream&>(file_) : std::cin;
  }
  const std::string& label() const { return label_; }
  std::uint64_t size() const { return size_; }
  // Stdin, a pipe or a FIFO cannot be read twice: keep a copy of it to read from.
  void make_rereadable() {
    if ((file_.is_open() && seekable_) || spool_.is_open()) return;
    open_temporary(spool_);
    spool_ << (file_.is_open() ? static_cast<std::istream&>(file_) : std::cin).rdbuf();
    spool_.flush();
    std::cin.clear();  // a terminal's end of input: the answer to the question is read after it
    rewind();
  }
  void rewind() {
    std::istream& in = stream();
    in.clear();
    in.seekg(0);
  }

 private:
  std::ifstream file_;
  std::fstream spool_;
  std::string label_;
  std::uint64_t size_ = 0;
  bool seekable_ = false;  // a regular file: rewind() reads it again
};

core::InputFormat input_format(const BulkArguments& args) {
  if (!args.format.empty()) return core::parse_input_format(args.format);
  // The name decides: x.csv, x.passwd (or a file named passwd), x.jsonl; else JSON Lines, whose
  // errors hint at --format when a line looks like another format.
  const std::filesystem::path path(args.file);
  if (path.extension() == ".csv") return core::InputFormat::Csv;
  if (path.extension() == ".ldif") return core::InputFormat::Ldif;
  if (path.extension() == ".passwd" || path.filename() == "passwd") return core::InputFormat::Passwd;
  return core::InputFormat::Jsonl;
}

// A dry run's plan waits in an unlinked temporary file until the whole input has been found
// good: on a problem stdout stays empty, as for every failed command.
class PlanSpool {
 public:
  PlanSpool() { open_temporary(spool_); }
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

void report_summary(Context& context, const core::BulkSummary& summary, const char* what) {
  const std::string text = std::string(what) + ": " + describe(summary, "created", "updated", "deleted");
  context.note(summary.changes() == 0 ? text + "; nothing to do" : text);
}

// What a load will do to existing records, for the question before it: counts, the first
// names, and a fingerprint of every change so the real run can prove it does the same.
class Preview {
 public:
  void add(const model::PlannedChange& step) {
    const model::Change& change = step.change;
    std::string key = model::change_type_name(change.type);
    if (change.user) key += " u:" + change.user->username;
    if (change.group) key += " g:" + change.group->name;
    for (const auto& field : change.changed_fields) key += " " + field;
    for (const char c : key + '\n') hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    if (change.type == model::ChangeType::UserUpdated) note(updated_, change.user->username);
    if (change.type == model::ChangeType::UserDeleted) note(deleted_, change.user->username);
  }
  std::uint64_t fingerprint() const { return hash_; }
  // More than one existing record changed or deleted: worth a question.
  bool risky() const { return updated_.count + deleted_.count > 1; }
  std::string question(const std::string& what, std::int64_t created) const {
    std::string text = what + " will";
    if (deleted_.count > 0) text += " delete " + describe(deleted_) + (updated_.count > 0 ? " and" : "");
    if (updated_.count > 0) text += " update " + describe(updated_);
    if (created > 0) text += ", and create " + count(created, "user", "users");
    return text;
  }

 private:
  struct Names {
    std::int64_t count = 0;
    std::vector<std::string> first;
  };
  static void note(Names& names, const std::string& name) {
    if (++names.count <= 5) names.first.push_back(name);
  }
  static std::string describe(const Names& names) {
    std::string text = count(names.count, "user", "users") + " (";
    for (std::size_t i = 0; i < names.first.size(); ++i) text += (i ? ", " : "") + names.first[i];
    return text + (names.count > 5 ? ", …)" : ")");
  }

  std::uint64_t hash_ = 14695981039346656037ULL;  // FNV-1a
  Names updated_;
  Names deleted_;
};

struct BulkInputs {
  core::InputFormat format;
  core::ShadowHashes shadow;
  std::vector<core::GroupInput> groups;
  bool has_shadow = false;
};

core::BulkSummary load_once(Context& context, InputFile& input, const BulkInputs& inputs,
                            const core::BulkOptions& options, const model::PlanSink& plan, const char* what) {
  std::unique_ptr<core::UserReader> reader;
  const std::vector<core::GroupInput>* groups = &inputs.groups;
  core::BulkOptions run_options = options;
  core::DumpHead head;
  if (inputs.format == core::InputFormat::Dump) {
    // A dump brings its settings and groups before its users.
    auto dump = std::make_unique<core::DumpReader>(input.stream(), input.label());
    head = dump->read_head();
    groups = &head.groups;
    run_options.settings = std::move(head.settings);
    run_options.group_file_label = input.label();
    reader = std::move(dump);
  } else {
    reader = core::make_user_reader(inputs.format, input.stream(), input.label(),
                                    inputs.has_shadow ? &inputs.shadow : nullptr);
  }
  output::Progress progress(output::progress_display(context.options.quiet), what, input.size());
  std::uint64_t records = 0;
  core::BulkSummary summary;
  try {
    summary = context.bulk().load(*reader, *groups, run_options, plan,
                                  [&] { progress.update(reader->position(), ++records); });
  } catch (const core::BulkFailure& failure) {
    report_failure(failure, std::string(what) == "import" ? "nothing was imported" : "nothing was changed");
  }
  progress.finish();
  return summary;
}

core::BulkOptions bulk_options(const BulkArguments& args, BulkCommand command) {
  core::BulkOptions options;
  options.existing = command == BulkCommand::Apply || args.upsert ? core::ExistingUser::Update
                                                                  : core::ExistingUser::Conflict;
  options.absent = args.prune ? core::AbsentUser::Delete : core::AbsentUser::Keep;
  options.run = args.dry_run ? core::BulkRun::DryRun : core::BulkRun::Commit;
  options.group_file_label = args.group_file;
  options.allow_empty = args.allow_empty;
  if (args.max_deletes >= 0) options.max_deletes = args.max_deletes;
  return options;
}

// On a terminal, a load that changes or deletes more than one existing record is first run as
// a dry run, shown, and asked about; the real run must then make exactly those changes.
core::BulkSummary load_confirmed(Context& context, InputFile& input, const BulkInputs& inputs,
                                 core::BulkOptions options, const char* what) {
  input.make_rereadable();
  Preview asked;
  options.run = core::BulkRun::DryRun;
  const core::BulkSummary planned = load_once(
      context, input, inputs, options, [&](const model::PlannedChange& step) { asked.add(step); }, what);
  if (asked.risky() && !confirm(asked.question(what, planned.created))) aborted();
  input.rewind();
  Preview done;
  options.run = core::BulkRun::Commit;
  options.before_commit = [&] {
    if (done.fingerprint() != asked.fingerprint()) {
      throw Conflict("the records changed while the question was open; nothing was changed",
                     "run the command again");
    }
  };
  return load_once(
      context, input, inputs, options, [&](const model::PlannedChange& step) { done.add(step); }, what);
}

// The ids the input gives, read in a first pass (stdin is spooled to be read again), so that
// allocation can keep clear of them.
std::vector<std::int64_t> file_ids(InputFile& input, const BulkInputs& inputs) {
  input.make_rereadable();
  std::vector<std::int64_t> ids;
  if (inputs.format == core::InputFormat::Jsonl) {
    ids = core::collect_jsonl_ids(input.stream(), input.label());
  } else {
    const auto reader = core::make_user_reader(inputs.format, input.stream(), input.label(), nullptr);
    ids = core::collect_file_ids(*reader);
  }
  input.rewind();
  return ids;
}

void run_bulk(Context& context, const BulkArguments& args, BulkCommand command) {
  BulkInputs inputs{input_format(args), {}, {}, !args.shadow_file.empty()};
  if (inputs.has_shadow && inputs.format != core::InputFormat::Passwd) {
    throw UsageError("--shadow goes with --format passwd");
  }
  if (args.file == "-" && (args.shadow_file == "-" || args.group_file == "-")) {
    throw UsageError("only one input can come from stdin");
  }
  const bool whole = inputs.format == core::InputFormat::Dump || inputs.format == core::InputFormat::Ldif;
  if (whole && (command == BulkCommand::Apply || !args.group_file.empty())) {
    throw UsageError("--format dump and ldif carry their groups: import them without --group-file",
                     "usersctl import --format dump|ldif FILE|-");
  }
  if (inputs.has_shadow) inputs.shadow = read_shadow(args.shadow_file);
  inputs.groups = read_groups(args.group_file);
  InputFile input(args.file);
  if (inputs.format == core::InputFormat::Ldif) {
    // Groups may come after their members in an LDIF file (slapcat's order): a first pass finds them.
    input.make_rereadable();
    inputs.groups = core::read_ldif_groups(input.stream(), input.label());
    input.rewind();
  }
  core::BulkOptions options = bulk_options(args, command);
  // A dump and an LDIF file give every id; the other formats may leave some to allocation.
  if (!whole) options.file_ids = file_ids(input, inputs);
  const char* what = command == BulkCommand::Import ? "import" : "apply";
  const bool destructive = args.prune || (command == BulkCommand::Import && args.upsert);
  if (!args.dry_run && !args.yes && destructive && can_ask()) {
    report_summary(context, load_confirmed(context, input, inputs, options, what), what);
    return;
  }
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
  const core::BulkSummary summary = load_once(context, input, inputs, options, plan, what);
  if (args.dry_run) {
    spool->copy_to(std::cout);
    context.note("dry run: " + describe(summary, "to create", "to update", "to delete") +
                 "; nothing was changed");
  } else {
    report_summary(context, summary, what);
  }
}

void add_input_options(CLI::App& command, BulkArguments& args) {
  command.add_option("FILE", args.file, "The file to read, or - for stdin")->required()->type_name("FILE|-");
  command
      .add_option(
          "--format", args.format,
          "jsonl (as export writes), csv (header row: username,name,email,uid,disabled,groups,attrs.KEY) "
          "passwd (/etc/passwd lines), dump (import only: export --format dump) or ldif (import only: RFC "
          "2307 "
          "entries); default: csv for *.csv, passwd for *.passwd or a file named passwd, ldif for *.ldif, "
          "else jsonl")
      ->check(CLI::IsMember({"jsonl", "csv", "passwd", "dump", "ldif"}))
      ->type_name("FORMAT");
  add_dry_run(command, args.dry_run);
}

void setup_import(CLI::App& app, Context& context) {
  auto args = std::make_shared<BulkArguments>();
  auto* command =
      app.add_subcommand("import", "Create users from a file, all or nothing, in one transaction");
  if (!is_set_up(*command, context)) return;
  add_input_options(*command, *args);
  command->add_flag("--upsert", args->upsert,
                    "Update users that already exist (without it they are a conflict, exit 4)");
  command->add_flag("-y,--yes", args->yes, "Do not ask on a terminal before --upsert changes several users");
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
      "  usersctl import --format dump users.dump\n  usersctl import --format ldif slapcat.ldif\n"
      "  usersctl export | ssh host usersctl import --upsert -");
  on_run(*command, context, [&context, args] { run_bulk(context, *args, BulkCommand::Import); });
}

void setup_apply(CLI::App& app, Context& context) {
  auto args = std::make_shared<BulkArguments>();
  auto* command = app.add_subcommand("apply", "Make the users match a desired-state file (JSONL or CSV)");
  if (!is_set_up(*command, context)) return;
  add_input_options(*command, *args);
  auto* prune = command->add_flag("--prune", args->prune, "Also delete users the file does not list");
  command->add_flag("--allow-empty", args->allow_empty, "With --prune: accept an input without users")
      ->needs(prune);
  decimal(command->add_option(
              "--max-deletes", args->max_deletes,
              "With --prune: refuse to delete more than N users (default: 10% of them, at least 10)"))
      ->needs(prune);
  command->add_flag("-y,--yes", args->yes,
                    "Do not ask on a terminal before changing or deleting several users");
  command->footer(
      "Creates missing users, updates the fields that differ (fields the file leaves out stay as\n"
      "they are) and, with --prune, deletes users the file lacks (to the recycle bin, as `delete`\n"
      "does); all in one transaction.\n"
      "Running the same apply twice changes nothing the second time. --prune refuses (exit 5, nothing\n"
      "changed) an input without users unless --allow-empty, and more deletions than --max-deletes.\n"
      "On a terminal, changing or deleting more than one existing user asks first; --yes skips it.\n\n"
      "Examples:\n  usersctl apply --dry-run users.jsonl\n  usersctl apply --prune users.csv");
  on_run(*command, context, [&context, args] { run_bulk(context, *args, BulkCommand::Apply); });
}

}  // namespace

void setup_bulk_commands(CLI::App& app, Context& context) {
  setup_import(app, context);
  setup_apply(app, context);
}

}  // namespace usersctl::cli
