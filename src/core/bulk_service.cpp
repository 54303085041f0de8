#include "core/bulk_service.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/id_allocator.hpp"
#include "core/password.hpp"
#include "core/posix_input.hpp"
#include "core/settings.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"

namespace usersctl::core {

namespace {

constexpr std::size_t kBatchSize = 1000;

// Thrown inside the write transaction to roll a dry run back once it has run to the end.
struct DryRunDone {};

// The problems found so far, each "FILE: line N: what".
class Problems {
 public:
  explicit Problems(std::size_t limit) : limit_(limit) {}
  // `line` orders the report (0: another file, first): conflicts surface when a batch is
  // written, after bad lines read later.
  void add(const Error& error, std::size_t line) {
    if (error.code() != ExitCode::Conflict) invalid_ = true;
    if (found_.size() < limit_) {
      found_.emplace_back(line, error.what());
    } else {
      truncated_ = true;
    }
  }
  bool any() const { return !found_.empty(); }
  bool full() const { return found_.size() >= limit_; }
  // Reading stopped at the limit: the rest of the input may hold more.
  void stopped_early() { truncated_ = true; }
  BulkFailure failure() const {
    auto found = found_;
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> messages;
    for (auto& [line, message] : found) messages.push_back(std::move(message));
    return BulkFailure(invalid_ ? ExitCode::Invalid : ExitCode::Conflict, std::move(messages), truncated_);
  }

 private:
  std::size_t limit_;
  std::vector<std::pair<std::size_t, std::string>> found_;
  bool invalid_ = false;
  bool truncated_ = false;
};

std::optional<std::string> normalised_email(const std::optional<std::string>& email) {
  if (!email || email->empty()) return std::nullopt;
  return email;
}

void validate_input(const UserInput& in) {
  validate_name(in.username, "user name");
  if (in.email && !in.email->empty()) validate_email(*in.email);
  if (in.name) validate_display_name(*in.name);
  if (in.attrs) validate_attrs(*in.attrs);
  if (in.uid) validate_id(*in.uid, "uid");
  if (in.groups) {
    for (const auto& group : *in.groups) validate_name(group, "group name");
  }
  if (in.password_hash) validate_password_hash(*in.password_hash);
  validate_posix_input(in);
}

std::vector<std::string> sorted_unique(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// One load, inside the write transaction.
class Loader {
 public:
  Loader(store::Store& store, const std::string& actor, EventStream& events, const BulkOptions& options,
         const model::PlanSink& plan, const std::string& label, Problems& problems, BulkSummary& summary)
      : store_(store),
        actor_(actor),
        events_(events),
        options_(options),
        plan_(plan),
        label_(label),
        problems_(problems),
        summary_(summary),
        now_(util::now_rfc3339()),
        settings_(read_account_settings(store)) {}

  void create_groups(const std::vector<GroupInput>& groups);
  void take(UserInput& in);
  void finish();
  void stop_writing() { store_failed_ = true; }

 private:
  struct Pending {
    store::NewUserRow row;
    std::size_t line;
  };

  // Bad lines do not stop the writing: later lines still meet the database's uniqueness
  // rules, so one run reports duplicates and conflicts too. A failed statement does (a
  // backend may refuse any further ones in the transaction).
  bool writing() const { return !store_failed_; }
  // Events and the plan are only worth making while the load can still commit.
  bool emitting() const { return !problems_.any(); }
  void problem_at(std::size_t line, const std::string& what, ExitCode code = ExitCode::Invalid) {
    problems_.add(Error(code, label_ + ": line " + std::to_string(line) + ": " + what), line);
  }
  void emit(const model::Change& change, const model::User* before, std::size_t line) {
    if (!emitting()) return;
    events_.add(change);
    if (plan_) plan_({change, before, line});
  }

  std::optional<std::int64_t> group_id(const std::string& name);
  bool resolve_groups(const UserInput& in, std::vector<std::int64_t>& ids);
  void create(UserInput& in);
  void update(model::User current, UserInput& in);
  std::int64_t next_uid(std::optional<std::int64_t> requested);
  void flush();
  std::size_t insert_from(std::size_t start);
  void explain_conflict(std::size_t index, const store::RowConflict& conflict);
  std::string explain_update_conflict(const model::User& user, const Conflict& conflict);
  bool ours(std::int64_t row_id) const { return first_inserted_id_ && row_id >= *first_inserted_id_; }
  void add_remaining_members();
  void prune();

  store::Store& store_;
  const std::string& actor_;
  EventStream& events_;
  const BulkOptions& options_;
  const model::PlanSink& plan_;
  const std::string& label_;
  Problems& problems_;
  BulkSummary& summary_;
  std::string now_;
  AccountSettings settings_;

  bool store_failed_ = false;
  std::vector<Pending> batch_;
  std::optional<std::int64_t> first_inserted_id_;  // row ids rise: any id from here on is this load's
  std::unordered_set<std::int64_t> updated_ids_;
  std::unordered_map<std::string, std::int64_t> group_ids_;
  std::optional<std::int64_t> uid_cursor_;  // the next uid to hand out while the range has room
  // From --group-file: user → groups it joins, and the group file lines naming each member.
  std::unordered_map<std::string, std::vector<std::string>> joins_;
  std::map<std::string, std::size_t> members_not_in_file_;
  const std::string& group_label_ = options_.group_file_label;
  // apply --prune: every username the file has.
  std::unordered_set<std::string> seen_;
};

std::optional<std::int64_t> Loader::group_id(const std::string& name) {
  if (auto cached = group_ids_.find(name); cached != group_ids_.end()) return cached->second;
  const auto group = store_.find_group(name);
  if (!group) return std::nullopt;
  group_ids_[name] = group->id;
  return group->id;
}

void Loader::create_groups(const std::vector<GroupInput>& groups) {
  for (const auto& input : groups) {
    try {
      validate_name(input.name, "group name");
      validate_id(input.gid, "gid");
      for (const auto& member : input.members) validate_name(member, "member name");
      if (auto existing = store_.find_group(input.name)) {
        if (existing->gid != input.gid) {
          throw Conflict("group '" + input.name + "' exists with gid " + std::to_string(existing->gid) +
                         ", not " + std::to_string(input.gid));
        }
      } else if (writing()) {
        if (store_.id_in_use(model::IdSpace::Gid, input.gid)) {
          throw Conflict("gid " + std::to_string(input.gid) + " is already used by another group");
        }
        model::Group group;
        group.name = input.name;
        group.gid = input.gid;
        group.created_at = group.updated_at = now_;
        group.created_by = group.updated_by = actor_;
        group.id = store_.insert_group(group);
        group_ids_[group.name] = group.id;
        emit({model::ChangeType::GroupCreated, std::nullopt, group, {}}, nullptr, input.line);
        ++summary_.groups_created;
      }
    } catch (const Error& error) {
      problems_.add(
          Error(error.code(), group_label_ + ": line " + std::to_string(input.line) + ": " + error.what()),
          0);
    }
    for (const auto& member : input.members) {
      joins_[member].push_back(input.name);
      members_not_in_file_.emplace(member, input.line);
    }
  }
}

void Loader::take(UserInput& in) {
  try {
    validate_input(in);
  } catch (const Invalid& problem) {
    problem_at(in.line, problem.what());
    return;
  }
  if (auto joins = joins_.find(in.username); joins != joins_.end()) {
    if (!in.groups) in.groups.emplace();
    in.groups->insert(in.groups->end(), joins->second.begin(), joins->second.end());
    members_not_in_file_.erase(in.username);
  }
  if (in.groups) in.groups = sorted_unique(std::move(*in.groups));
  if (options_.absent == AbsentUser::Delete && !seen_.insert(in.username).second) {
    problem_at(in.line, "user '" + in.username + "' appears more than once in the file");
    return;
  }
  if (!writing()) return;
  if (options_.existing == ExistingUser::Update) {
    // A user still waiting in the batch is not found here; if the file names it twice, the
    // second create breaks the unique username when the batch is written, and is reported so.
    if (auto current = store_.find_user(in.username)) {
      if (ours(current->id) || !updated_ids_.insert(current->id).second) {
        problem_at(in.line, "user '" + in.username + "' appears more than once in the file");
        return;
      }
      update(std::move(*current), in);
      return;
    }
  }
  create(in);
}

bool Loader::resolve_groups(const UserInput& in, std::vector<std::int64_t>& ids) {
  if (!in.groups) return true;
  for (const auto& name : *in.groups) {
    const auto id = group_id(name);
    if (!id) {
      problem_at(in.line, "group '" + name + "' does not exist", ExitCode::Invalid);
      return false;
    }
    ids.push_back(*id);
  }
  return true;
}

std::int64_t Loader::next_uid(std::optional<std::int64_t> requested) {
  if (requested) {
    // An explicit uid in the allocation range moves the cursor past it, as useradd's
    // "highest used plus one" would.
    if (uid_cursor_ && *requested >= *uid_cursor_ && *requested <= settings_.uid_range.high)
      uid_cursor_ = *requested + 1;
    return *requested;
  }
  if (!uid_cursor_) {
    flush();  // the allocator reads the table: let it see this file's users
    uid_cursor_ = allocate_id(store_, model::IdSpace::Uid, settings_.uid_range, std::nullopt);
    return (*uid_cursor_)++;
  }
  uid_cursor_ = skip_reserved_ids(*uid_cursor_);
  if (*uid_cursor_ <= settings_.uid_range.high) return (*uid_cursor_)++;
  flush();  // the range top is taken: fall back to the allocator's gap search
  return allocate_id(store_, model::IdSpace::Uid, settings_.uid_range, std::nullopt);
}

void Loader::create(UserInput& in) {
  Pending pending;
  pending.line = in.line;
  if (!resolve_groups(in, pending.row.group_ids)) return;
  model::User& user = pending.row.user;
  user.username = std::move(in.username);
  user.name = in.name.value_or("");
  user.email = normalised_email(in.email);
  user.groups = in.groups.value_or(std::vector<std::string>{});
  user.attrs = in.attrs.value_or(model::Attributes{});
  user.disabled = in.disabled.value_or(false);
  user.created_at = user.updated_at = now_;
  user.created_by = user.updated_by = actor_;
  user.version = 1;
  pending.row.password_hash = std::move(in.password_hash);
  if (const auto group = in.uid ? store_.find_group_by_gid(*in.uid) : std::nullopt;
      group && group->name != user.username) {  // a same-named group is the private one, as a row
    problem_at(in.line, "uid " + std::to_string(*in.uid) + " is the gid of group '" + group->name + "'",
               ExitCode::Conflict);
    return;
  }
  user.uid = next_uid(in.uid);
  if (const auto problem = primary_gid_problem(store_, in, user.uid)) return problem_at(in.line, *problem);
  apply_posix_fields(user, in, settings_);
  if (!writing()) return;
  batch_.push_back(std::move(pending));
  if (batch_.size() >= kBatchSize) flush();
}

void Loader::update(model::User current, UserInput& in) {
  const model::User before = current;
  std::vector<std::string> changed;
  if (in.name && *in.name != current.name) {
    current.name = *in.name;
    changed.emplace_back("name");
  }
  if (in.email && normalised_email(in.email) != current.email) {
    current.email = normalised_email(in.email);
    changed.emplace_back("email");
  }
  const std::int64_t old_uid = current.uid;
  if (in.uid && *in.uid != current.uid) {
    current.uid = *in.uid;
    changed.emplace_back("uid");
  }
  if (const auto problem = primary_gid_problem(store_, in, current.uid)) return problem_at(in.line, *problem);
  update_posix_fields(current, old_uid, in, changed);
  if (in.attrs && *in.attrs != current.attrs) {
    current.attrs = *in.attrs;
    changed.emplace_back("attrs");
  }
  if (in.disabled && *in.disabled != current.disabled) {
    current.disabled = *in.disabled;
    changed.emplace_back("disabled");
  }
  std::vector<std::int64_t> group_ids;
  if (!resolve_groups(in, group_ids)) return;
  const bool groups_change = in.groups && *in.groups != current.groups;
  if (groups_change) changed.emplace_back("groups");
  const bool password_change = in.password_hash && store_.password_hash(current.id) != in.password_hash;
  if (password_change) changed.emplace_back("password");
  if (changed.empty()) {
    ++summary_.unchanged;
    return;
  }
  try {
    if (groups_change) {
      for (const auto& name : current.groups) {
        if (!std::binary_search(in.groups->begin(), in.groups->end(), name)) {
          store_.remove_member(*group_id(name), current.id);
        }
      }
      for (const auto id : group_ids) store_.add_member(id, current.id);
      current.groups = *in.groups;
    }
    if (password_change) store_.set_password_hash(current.id, *in.password_hash);
    current.version += 1;
    current.updated_at = now_;
    current.updated_by = actor_;
    store_.update_user(current);
  } catch (const Conflict& conflict) {
    problem_at(in.line, "user '" + current.username + "': " + explain_update_conflict(current, conflict),
               ExitCode::Conflict);
    return;
  }
  emit({model::ChangeType::UserUpdated, current, std::nullopt, changed}, &before, in.line);
  ++summary_.updated;
}

std::string Loader::explain_update_conflict(const model::User& user, const Conflict& conflict) {
  try {
    const auto holder = user.email ? store_.user_with_email_key(util::fold_case(*user.email)) : std::nullopt;
    if (holder && *holder != user.username)
      return "email '" + *user.email + "' is already used by user '" + *holder + "'";
    if (store_.id_in_use(model::IdSpace::Uid, user.uid))
      return "uid " + std::to_string(user.uid) + " is already used";
  } catch (const Error&) {
    // The backend may refuse further statements after the failed one.
  }
  return conflict.what();
}

void Loader::flush() {
  if (batch_.empty()) return;
  std::size_t start = 0;
  while (start < batch_.size() && writing()) start = insert_from(start);
  batch_.clear();
}

// Inserts batch_[start…]; returns where to go on from: the end, or past a row that broke a
// uniqueness rule (reported), so the rest of the file still meets the rules.
std::size_t Loader::insert_from(std::size_t start) {
  std::vector<store::NewUserRow> rows;
  rows.reserve(batch_.size() - start);
  for (std::size_t i = start; i < batch_.size(); ++i) rows.push_back(std::move(batch_[i].row));
  const auto restore = [&] {
    for (std::size_t i = 0; i < rows.size(); ++i) batch_[start + i].row = std::move(rows[i]);
  };
  try {
    store_.insert_users(rows);
  } catch (const store::RowConflict& conflict) {
    restore();
    explain_conflict(start + conflict.row, conflict);
    return start + conflict.row + 1;
  } catch (const Error&) {
    if (!problems_.any()) throw;
    stop_writing();  // an earlier problem left the transaction unusable
    return batch_.size();
  }
  if (!first_inserted_id_ && !rows.empty()) first_inserted_id_ = rows.front().user.id;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    emit({model::ChangeType::UserCreated, rows[i].user, std::nullopt, {}}, nullptr, batch_[start + i].line);
  }
  summary_.created += static_cast<std::int64_t>(rows.size());
  return batch_.size();
}

// Names what broke a uniqueness rule: the same value twice in the file is bad input (5); a
// value the database already holds is a conflict (4).
void Loader::explain_conflict(std::size_t index, const store::RowConflict& conflict) {
  const model::User& user = batch_[index].row.user;
  const std::size_t line = batch_[index].line;
  const std::string email_key = user.email ? util::fold_case(*user.email) : std::string();
  for (std::size_t i = 0; i < index; ++i) {
    const model::User& earlier = batch_[i].row.user;
    std::string same;
    if (earlier.username == user.username) same = "user '" + user.username + "'";
    if (same.empty() && user.email && earlier.email && util::fold_case(*earlier.email) == email_key) {
      same = "email '" + *user.email + "'";
    }
    if (same.empty() && earlier.uid == user.uid) same = "uid " + std::to_string(user.uid);
    if (!same.empty()) {
      problem_at(line, same + " appears more than once in the file (also line " +
                           std::to_string(batch_[i].line) + ")");
      return;
    }
  }
  try {
    if (auto existing = store_.find_user(user.username)) {
      if (ours(existing->id)) {
        problem_at(line, "user '" + user.username + "' appears more than once in the file");
      } else {
        problem_at(line,
                   "user '" + user.username + "' already exists (use --upsert to update existing users)",
                   ExitCode::Conflict);
      }
      return;
    }
    if (user.email) {
      if (auto holder = store_.user_with_email_key(email_key)) {
        const auto other = store_.find_user(*holder);
        if (other && ours(other->id)) {
          problem_at(line, "email '" + *user.email + "' is also given to user '" + *holder + "' in the file");
        } else {
          problem_at(line, "email '" + *user.email + "' is already used by user '" + *holder + "'",
                     ExitCode::Conflict);
        }
        return;
      }
    }
    if (store_.id_in_use(model::IdSpace::Uid, user.uid)) {
      problem_at(line, "uid " + std::to_string(user.uid) + " is already used", ExitCode::Conflict);
      return;
    }
  } catch (const Error&) {
    // The backend may refuse further statements after the failed one; fall through.
  }
  problem_at(line, conflict.what(), ExitCode::Conflict);
}

void Loader::add_remaining_members() {
  for (const auto& [member, line] : members_not_in_file_) {
    if (!writing()) return;
    const auto user = store_.find_user(member);
    if (!user) {
      problems_.add(Invalid(group_label_ + ": line " + std::to_string(line) + ": member '" + member +
                            "' is neither in the import nor an existing user"),
                    0);
      continue;
    }
    for (const auto& group_name : joins_[member]) {
      const auto id = group_id(group_name);
      if (!id || !store_.add_member(*id, user->id)) continue;
      const auto group = store_.find_group(group_name);
      const auto current = store_.find_user(member);
      emit({model::ChangeType::MemberAdded, *current, *group, {"members"}}, nullptr, line);
      ++summary_.members_added;
    }
  }
}

void Loader::prune() {
  std::vector<model::User> doomed;
  store_.list_users(model::UserQuery{}, [&](const model::User& user) {
    if (!seen_.count(user.username)) doomed.push_back(user);
  });
  for (const auto& user : doomed) {
    store_.delete_user(user.id);
    emit({model::ChangeType::UserDeleted, user, std::nullopt, {}}, nullptr, 0);
    ++summary_.deleted;
  }
}

void Loader::finish() {
  flush();
  if (!writing()) return;
  add_remaining_members();
  if (emitting() && options_.absent == AbsentUser::Delete) prune();
}

}  // namespace

BulkSummary BulkService::load(UserReader& reader, const std::vector<GroupInput>& groups,
                              const BulkOptions& options, const model::PlanSink& plan,
                              const std::function<void()>& progress) {
  BulkSummary summary;
  try {
    runner_.run_bulk([&](EventStream& events) {
      summary = BulkSummary{};
      Problems problems(options.max_problems);
      Loader loader(db_.records(), runner_.actor(), events, options, plan, reader.label(), problems, summary);
      loader.create_groups(groups);
      UserInput input;
      while (!problems.full()) {
        try {
          if (!reader.next(input)) break;
        } catch (const LineError& error) {
          problems.add(error, error.line);
          continue;
        }
        try {
          loader.take(input);
        } catch (const Error&) {
          if (!problems.any()) throw;
          loader.stop_writing();  // an earlier problem left the transaction unusable
        }
        if (progress) progress();
      }
      if (problems.full()) {
        problems.stopped_early();
      } else {
        loader.finish();
      }
      if (problems.any()) throw problems.failure();
      if (options.run == BulkRun::DryRun) throw DryRunDone{};
    });
  } catch (const DryRunDone&) {
    // Rolled back, as a dry run must be; `summary` says what would have happened.
  }
  return summary;
}

}  // namespace usersctl::core
