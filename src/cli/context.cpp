#include "cli/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "output/terminal.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::cli {

namespace {

std::vector<std::string> split_fields(const std::string& text) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

void check_fields(const std::vector<std::string>& fields, const std::vector<std::string>& known) {
  for (const auto& field : fields) {
    const bool attr_path = field.rfind("attrs.", 0) == 0 && field.size() > 6;
    bool ok = false;
    for (const auto& name : known) ok = ok || name == field || (attr_path && name == "attrs");
    if (!ok) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ",") + name;
      throw UsageError("--fields: unknown field '" + field + "'", "fields: " + list);
    }
  }
}

std::string describe(const model::Change& change) {
  const std::string user = change.user ? "'" + change.user->username + "'" : "";
  const std::string group = change.group ? "'" + change.group->name + "'" : "";
  const model::ChangeTypeNames& names = model::names_of(change.type);
  switch (change.type) {
    case model::ChangeType::UserCreated:
    case model::ChangeType::UserRestored:
      return std::string(names.past) + " user " + user + " (uid " + std::to_string(change.user->uid) + ")";
    case model::ChangeType::UserUpdated: {
      std::string fields;
      for (const auto& f : change.changed_fields) fields += (fields.empty() ? "" : ", ") + f;
      return "updated user " + user + " (" + fields + ")";
    }
    case model::ChangeType::GroupCreated:
      return "created group " + group + " (gid " + std::to_string(change.group->gid) + ")";
    case model::ChangeType::MemberAdded:
      return "added " + user + " to group " + group;
    case model::ChangeType::MemberRemoved:
      return "removed " + user + " from group " + group;
    case model::ChangeType::SettingChanged:
      return "set " + change.setting->key + " to '" + change.setting->value + "'";
    default:  // deleted, purged, restored (groups), updated (groups)
      return std::string(names.past) + (names.about_group ? " group " + group : " user " + user);
  }
}

}  // namespace

std::vector<std::string> field_names(const output::Record& record) {
  std::vector<std::string> names;
  for (auto it = record.begin(); it != record.end(); ++it) names.push_back(it.key());
  return names;
}

std::string Context::actor() {
  std::string name = options.actor;
  for (const char* var : {"SUDO_USER", "USER"}) {
    if (!name.empty()) break;
    if (const char* value = std::getenv(var)) name = value;
  }
  if (name.empty()) {
    const passwd* entry = ::getpwuid(::geteuid());
    name = entry ? entry->pw_name : "uid:" + std::to_string(::geteuid());
  }
  if (auto problem = util::text_problem(name); problem || name.size() > 256) {
    throw Invalid("actor name " + problem.value_or("is longer than 256 bytes"));
  }
  return name;
}

core::Services& Context::services() {
  if (!services_) {
    services_ = std::make_unique<core::Services>(
        options.db, [this] { return actor(); }, open_mode);
  }
  return *services_;
}

core::UserService& Context::users() { return services().users(); }
core::GroupService& Context::groups() { return services().groups(); }
core::BulkService& Context::bulk() { return services().bulk(); }
core::EventService& Context::events() { return services().events(); }

void Context::write_one(const output::Record& record) {
  const std::vector<std::string> fields = field_names(record);
  auto out = writer(output::Shape::One, fields, fields);
  out->write(record);
  out->finish();
}

std::unique_ptr<output::RecordWriter> Context::writer(output::Shape shape,
                                                      const std::vector<std::string>& table_columns,
                                                      const std::vector<std::string>& known_fields) {
  output::WriterOptions writer_options;
  writer_options.shape = shape;
  writer_options.table_columns = table_columns;
  writer_options.fields = split_fields(options.fields);
  check_fields(writer_options.fields, known_fields);
  writer_options.headers = !options.no_headers;
  writer_options.width = output::table_width(STDOUT_FILENO);
  if (options.output.empty()) {
    writer_options.format = output::default_format(shape, output::is_terminal(STDOUT_FILENO));
  } else if (auto format = output::parse_format(options.output)) {
    writer_options.format = *format;
  } else {
    throw UsageError("--output: unknown format '" + options.output + "'",
                     "use table, json, jsonl, csv or tsv");
  }
  return output::make_writer(writer_options, std::cout);
}

void Context::report(const std::vector<model::Change>& changes) {
  for (const auto& change : changes) note(describe(change));
}

void Context::note(const std::string& message) {
  if (!options.quiet) std::cerr << "usersctl: " << message << '\n';
}

void Context::warn(const std::string& message) { std::cerr << "usersctl: warning: " << message << '\n'; }

void Context::after_commit() {
  if (!services_) return;
  if (options.events) {
    services_->committed_events([](const model::StoredEvent& event) { std::cout << event.body << '\n'; });
    std::cout.flush();
  }
  for (const auto& warning : services_->deliver_committed()) warn(warning);
  apply_retention();
}

// recycle_days and events_keep_days apply after a command that committed a change, never after
// a read (nor a dry run): a read must not write, and a write that changed nothing has nothing
// to age out. Nor when the change's transaction saw an empty bin and no events_keep_days.
void Context::apply_retention() {
  if (open_mode != model::OpenMode::CreateIfMissing) return;
  if (!services_->housekeeping_due()) return;
  try {
    services_->recycle_bin().purge_expired();  // recycle_days
    services_->history().apply_retention();    // events_keep_days
  } catch (const Error& error) {
    warn(std::string("housekeeping postponed: ") + error.what());
  }
}

}  // namespace usersctl::cli
