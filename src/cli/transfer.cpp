// export; import and apply (moving records in bulk) are in bulk_load.cpp.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command_setup.hpp"
#include "core/passwd_format.hpp"
#include "output/checked_stdout.hpp"
#include "output/progress.hpp"
#include "output/records.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// The columns of a CSV export: the record fields import reads back, then one per attribute key.
std::vector<std::string> csv_columns(const std::vector<std::string>& attribute_keys) {
  std::vector<std::string> columns = {"username", "name",  "email",    "uid",   "gid",
                                      "home",     "shell", "disabled", "groups"};
  for (const auto& key : attribute_keys) columns.push_back("attrs." + key);
  return columns;
}

void export_records(Context& context, output::Format format) {
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
    if (!writer) writer = output::make_writer(options, std::cout);
    writer->write_user(user);
    progress.update(0, ++records);
  });
  if (writer) writer->finish();
  std::cout.flush();
  progress.finish();
}

void export_passwd(Context& context) {
  // Each line is checked as it is made: a bad one stops the export (exit 5) after the lines
  // before it, which are valid, have been written.
  context.users().export_users(nullptr, [](const model::User& user) {
    std::cout << core::passwd_line(user) << '\n';
    output::check_output(std::cout);
  });
}

void export_group(Context& context) {
  context.groups().list(std::nullopt, [](const model::Group& group) {
    std::cout << core::group_line(group) << '\n';
    output::check_output(std::cout);
  });
}

void setup_export(CLI::App& app, Context& context) {
  auto format = std::make_shared<std::string>("jsonl");
  auto* command =
      app.add_subcommand("export", "Print every user (or group) for backup, migration or /etc files");
  command
      ->add_option(
          "--format", *format,
          "jsonl (the records, as list -o jsonl), csv, passwd or group (/etc file lines); default jsonl")
      ->check(CLI::IsMember({"jsonl", "csv", "passwd", "group"}))
      ->type_name("FORMAT");
  command->footer(
      "Examples:\n  usersctl export > users.jsonl\n"
      "  usersctl export --format csv > users.csv\n"
      "  usersctl export --format passwd > passwd.new && usersctl export --format group > group.new");
  command->callback([&context, format] {
    // Checked here, while only the command line has set them: a profile's output setting
    // (applied after parsing) must not break export.
    const bool output_given = !context.options.output.empty() || !context.options.fields.empty();
    context.action = [&context, format, output_given] {
      if (output_given) {
        throw UsageError("export takes --format, not -o/--output or --fields",
                         "usersctl export --format jsonl|csv|passwd|group");
      }
      if (*format == "passwd") {
        export_passwd(context);
      } else if (*format == "group") {
        export_group(context);
      } else {
        export_records(context, *format == "csv" ? output::Format::Csv : output::Format::Jsonl);
      }
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
