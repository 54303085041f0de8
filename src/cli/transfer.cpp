// export; import and apply (moving records in bulk) are in bulk_load.cpp.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/atomic_output.hpp"
#include "cli/command_setup.hpp"
#include "core/dump_writer.hpp"
#include "core/ldif_writer.hpp"
#include "core/passwd_format.hpp"
#include "core/shadow_format.hpp"
#include "output/checked_stdout.hpp"
#include "output/progress.hpp"
#include "output/records.hpp"
#include "output/terminal.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// The columns of a CSV export: the record fields import reads back, then one per attribute key.
std::vector<std::string> csv_columns(const std::vector<std::string>& attribute_keys) {
  std::vector<std::string> columns = {"username", "name",     "email",  "uid",        "gid",       "home",
                                      "shell",    "disabled", "groups", "valid_from", "expires_at"};
  for (const auto& key : attribute_keys) columns.push_back("attrs." + key);
  return columns;
}

void export_records(Context& context, output::Format format, std::ostream& out) {
  output::WriterOptions options;
  options.format = format;
  std::unique_ptr<output::RecordWriter> writer;
  // jsonl needs no columns; csv learns them from the attribute keys first.
  std::function<void(const std::vector<std::string>&)> columns;
  if (format == output::Format::Csv) {
    columns = [&](const std::vector<std::string>& keys) { options.fields = csv_columns(keys); };
  }
  output::Progress progress(output::progress_display(context.options.quiet), "export", 0);
  std::uint64_t records = 0;
  context.users().export_users(columns, [&](const model::User& user) {
    if (!writer) writer = output::make_writer(options, out);
    writer->write_user(user);
    progress.update(0, ++records);
  });
  if (writer) writer->finish();
  out.flush();
  progress.finish();
}

void export_passwd(Context& context, std::ostream& out) {
  // Each line is checked as it is made: a bad one stops the export (exit 5) after the lines
  // before it, which are valid, have been written.
  context.users().export_users(nullptr, [&out](const model::User& user) {
    out << core::passwd_line(user) << '\n';
    output::check_output(out);
  });
}

void export_group(Context& context, std::ostream& out) {
  context.groups().list(std::nullopt, [&out](const model::Group& group) {
    out << core::group_line(group) << '\n';
    output::check_output(out);
  });
}

struct ExportArguments {
  std::string format = "jsonl";
  std::string base_dn;
  bool include_hashes = false;
  std::string output_file;  // --output: empty for stdout
};

// The formats that carry password hashes never go to a terminal (a screen, a scrollback, a
// recorded session): they must be redirected to a file or a pipe.
void refuse_terminal(const std::string& format, const std::ostream& out) {
  if (&out != &std::cout || !output::is_terminal(STDOUT_FILENO)) return;
  throw UsageError("export --format " + format + " holds password hashes and is not written to a terminal",
                   "redirect it: usersctl export --format " + format + " > FILE (and keep FILE secret)");
}

void export_dump(Context& context, std::ostream& out) {
  refuse_terminal("dump", out);
  core::DirectorySinks sinks;
  sinks.want_keys = true;
  // One line buffer for every line, written in one call, as the JSONL export does: no string is
  // made per line once it has grown.
  std::string line;
  const auto write_line = [&] {
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    line.clear();
  };
  // Inside the snapshot (the first sink called): a database that is not there prints nothing.
  sinks.settings = [&](const std::map<std::string, std::string>& values) {
    out << core::dump_header_line() << '\n' << core::dump_settings_line(values) << '\n';
  };
  sinks.group = [&](const model::Group& group) {
    core::append_dump_group_line(line, group);
    write_line();
  };
  sinks.user = [&](const model::User& user, const std::optional<std::string>& hash,
                   const std::vector<model::SshKey>& keys) {
    core::append_dump_user_line(line, user, hash, keys);
    write_line();
  };
  context.services().directory_export().run(sinks);
  output::check_output(out);
}

void export_shadow(Context& context, std::ostream& out) {
  refuse_terminal("shadow", out);
  core::DirectorySinks sinks;
  sinks.user = [&](const model::User& user, const std::optional<std::string>& hash,
                   const std::vector<model::SshKey>&) { out << core::shadow_line(user, hash) << '\n'; };
  context.services().directory_export().run(sinks);
  output::check_output(out);
}

void export_ldif(Context& context, const ExportArguments& args, std::ostream& out) {
  if (args.base_dn.empty()) {
    throw UsageError("export --format ldif needs --base-dn",
                     "usersctl export --format ldif --base-dn dc=example,dc=com");
  }
  if (args.include_hashes) refuse_terminal("ldif --include-password-hashes", out);
  const core::LdifWriter writer(args.base_dn, args.include_hashes);
  core::DirectorySinks sinks;
  sinks.want_hashes = args.include_hashes;
  sinks.settings = [&](const std::map<std::string, std::string>&) { out << writer.header(); };
  // Users first, then the groups whose memberUid name them.
  std::vector<model::Group> groups;
  sinks.group = [&](const model::Group& group) { groups.push_back(group); };
  sinks.user = [&](const model::User& user, const std::optional<std::string>& hash,
                   const std::vector<model::SshKey>&) { out << writer.user_entry(user, hash); };
  context.services().directory_export().run(sinks);
  for (const auto& group : groups) out << writer.group_entry(group);
  output::check_output(out);
}

void run_export(Context& context, const ExportArguments& args, std::ostream& out) {
  if (args.format != "ldif" && (!args.base_dn.empty() || args.include_hashes)) {
    throw UsageError("--base-dn and --include-password-hashes go with --format ldif");
  }
  if (args.format == "passwd") {
    export_passwd(context, out);
  } else if (args.format == "group") {
    export_group(context, out);
  } else if (args.format == "shadow") {
    export_shadow(context, out);
  } else if (args.format == "dump") {
    export_dump(context, out);
  } else if (args.format == "ldif") {
    export_ldif(context, args, out);
  } else {
    export_records(context, args.format == "csv" ? output::Format::Csv : output::Format::Jsonl, out);
  }
}

void setup_export(CLI::App& app, Context& context) {
  auto args = std::make_shared<ExportArguments>();
  auto* command =
      app.add_subcommand("export", "Print every user (or group) for backup, migration or /etc files");
  if (!is_set_up(*command, context)) return;
  command
      ->add_option(
          "--format", args->format,
          "jsonl (the records, as list -o jsonl), csv, passwd, group or shadow (/etc file lines), "
          "dump (everything, lossless, with password hashes) or ldif (RFC 2307 entries); default jsonl")
      ->check(CLI::IsMember({"jsonl", "csv", "passwd", "group", "shadow", "dump", "ldif"}))
      ->type_name("FORMAT");
  command
      ->add_option("--base-dn", args->base_dn,
                   "With --format ldif: the directory's suffix (dc=example,dc=com)")
      ->type_name("DN");
  command->add_flag("--include-password-hashes", args->include_hashes,
                    "With --format ldif: write userPassword {CRYPT} hashes");
  command
      ->add_option("--output", args->output_file,
                   "Write to FILE, created 0600, replaced only by a complete export (atomic rename)")
      ->type_name("FILE");
  command->footer(
      "dump and shadow (and ldif with --include-password-hashes) hold password hashes: they are never\n"
      "written to a terminal; keep the files secret.\n\n"
      "Examples:\n  usersctl export > users.jsonl\n"
      "  usersctl export --output /var/backups/users.jsonl\n"
      "  usersctl export --format csv > users.csv\n"
      "  usersctl export --format passwd > passwd.new && usersctl export --format group > group.new\n"
      "  usersctl export --format dump > all.dump && usersctl --db postgresql://db/users import --format "
      "dump all.dump\n"
      "  usersctl export --format ldif --base-dn dc=example,dc=com | ldapadd -x -D "
      "cn=admin,dc=example,dc=com -W");
  command->callback([&context, args] {
    // Checked here, while only the command line has set them: a profile's output setting
    // (applied after parsing) must not break export.
    const bool output_given = !context.options.output.empty() || !context.options.fields.empty();
    context.action = [&context, args, output_given] {
      if (output_given) {
        throw UsageError("export takes --format, not -o/--output or --fields",
                         "usersctl export --format jsonl|csv|passwd|group|shadow|dump|ldif");
      }
      std::unique_ptr<AtomicOutput> saved;
      if (!args->output_file.empty()) saved = std::make_unique<AtomicOutput>(args->output_file);
      run_export(context, *args, saved ? saved->stream() : std::cout);
      if (saved) saved->commit();
      std::cout.flush();
    };
  });
}

}  // namespace

void setup_transfer_commands(CLI::App& app, Context& context) {
  setup_bulk_commands(app, context);
  setup_export(app, context);
}

}  // namespace usersctl::cli
