#include "cli/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "events/dispatcher.hpp"
#include "output/terminal.hpp"
#include "store/open_store.hpp"

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

std::string describe(const core::Change& change) {
  const std::string user = change.user ? "'" + change.user->username + "'" : "";
  const std::string group = change.group ? "'" + change.group->name + "'" : "";
  switch (change.type) {
    case core::ChangeType::UserCreated:
      return "created user " + user + " (uid " + std::to_string(change.user->uid) + ")";
    case core::ChangeType::UserUpdated: {
      std::string fields;
      for (const auto& f : change.changed_fields) fields += (fields.empty() ? "" : ", ") + f;
      return "updated user " + user + " (" + fields + ")";
    }
    case core::ChangeType::UserDeleted:
      return "deleted user " + user;
    case core::ChangeType::GroupCreated:
      return "created group " + group + " (gid " + std::to_string(change.group->gid) + ")";
    case core::ChangeType::GroupUpdated:
      return "updated group " + group;
    case core::ChangeType::GroupDeleted:
      return "deleted group " + group;
    case core::ChangeType::MemberAdded:
      return "added " + user + " to group " + group;
    case core::ChangeType::MemberRemoved:
      return "removed " + user + " from group " + group;
  }
  return "changed";
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
  if (auto problem = core::text_problem(name); problem || name.size() > 256) {
    throw Invalid("actor name " + problem.value_or("is longer than 256 bytes"));
  }
  return name;
}

store::Store& Context::store() {
  if (!store_) store_ = store::open_store(options.db);
  return *store_;
}

core::UserService& Context::users() {
  if (!users_) {
    if (!runner_) runner_ = std::make_unique<core::MutationRunner>(store(), actor());
    users_ = std::make_unique<core::UserService>(*runner_);
  }
  return *users_;
}

core::GroupService& Context::groups() {
  if (!groups_) {
    if (!runner_) runner_ = std::make_unique<core::MutationRunner>(store(), actor());
    groups_ = std::make_unique<core::GroupService>(*runner_);
  }
  return *groups_;
}

core::BulkService& Context::bulk() {
  if (!bulk_) {
    if (!runner_) runner_ = std::make_unique<core::MutationRunner>(store(), actor());
    bulk_ = std::make_unique<core::BulkService>(*runner_);
  }
  return *bulk_;
}

core::EventService& Context::events() {
  if (!events_) events_ = std::make_unique<core::EventService>(store(), actor());
  return *events_;
}

std::unique_ptr<output::RecordWriter> Context::writer(output::Shape shape,
                                                      const std::vector<std::string>& table_columns,
                                                      const std::vector<std::string>& known_fields) {
  output::WriterOptions writer_options;
  writer_options.shape = shape;
  writer_options.table_columns = table_columns;
  writer_options.fields = split_fields(options.fields);
  check_fields(writer_options.fields, known_fields);
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

void Context::report(const std::vector<core::Change>& changes) {
  for (const auto& change : changes) note(describe(change));
}

void Context::note(const std::string& message) {
  if (!options.quiet) std::cerr << "usersctl: " << message << '\n';
}

void Context::warn(const std::string& message) { std::cerr << "usersctl: warning: " << message << '\n'; }

void Context::after_commit() {
  if (!runner_) return;
  if (options.events) {
    runner_->committed_events([](const store::StoredEvent& event) { std::cout << event.body << '\n'; });
    std::cout.flush();
  }
  if (!runner_->queued_deliveries()) return;
  events::DispatchOptions quick;
  quick.connect_timeout = std::chrono::milliseconds(2000);
  quick.total_timeout = std::chrono::milliseconds(5000);
  try {
    const auto summary = events::dispatch_pending(*store_, quick);
    for (const auto& problem : summary.problems) {
      warn("delivery failed: " + problem + "; it stays pending for 'usersctl events deliver'");
    }
    // A hook backing off after a failure was not tried now, yet this change's event
    // waits behind it (per-hook order): say so too. A hook another process is working
    // on has no error and needs no warning.
    if (summary.problems.empty()) {
      for (const auto& hook : events().status()) {
        if (hook.pending == 0 || !hook.last_error) continue;
        warn("delivery failed: hook " + std::to_string(hook.hook_id) + " last answered " + *hook.last_error +
             "; " + std::to_string(hook.pending) + " deliveries wait for 'usersctl events deliver'");
      }
    }
  } catch (const Error& error) {
    // The change is committed whatever happens here; the outbox keeps the delivery.
    warn(std::string("delivery postponed: ") + error.what() + "; run 'usersctl events deliver'");
  }
}

}  // namespace usersctl::cli
