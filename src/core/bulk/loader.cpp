#include "core/bulk/loader.hpp"

#include <algorithm>

#include "core/bulk/input_rules.hpp"
#include "core/posix_input.hpp"
#include "core/recycle_bin.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"

namespace usersctl::core::bulk {

namespace {
constexpr std::size_t kBatchSize = 1000;
}  // namespace

Loader::Loader(store::Store& store, const std::string& actor, EventStream& events, const BulkOptions& options,
               const model::PlanSink& plan, const std::string& label, Problems& problems,
               BulkSummary& summary)
    : store_(store),
      actor_(actor),
      events_(events),
      options_(options),
      plan_(plan),
      label_(label),
      problems_(problems),
      summary_(summary),
      now_(util::now_rfc3339()),
      settings_(read_account_settings(store)),
      uids_(store, settings_.uid_range, options.file_ids, [this] { flush(); }),
      conflicts_(store, [this](std::int64_t id) { return ours(id); }) {}

// A new record's stamps: a dump's kept ones, else now and the actor at version 1.
template <typename Record>
void Loader::stamp(Record& record, const std::optional<KeptState>& kept) const {
  if (kept) {
    record.created_at = kept->created_at;
    record.created_by = kept->created_by;
    record.updated_at = kept->updated_at;
    record.updated_by = kept->updated_by;
    record.version = kept->version;
    return;
  }
  record.created_at = record.updated_at = now_;
  record.created_by = record.updated_by = actor_;
  record.version = 1;
}

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
        // A dump's group is a whole record (description, history): one that is there already is
        // a conflict, as its users are, not merged into the one there, which would drop them.
        if (input.kept && options_.existing == ExistingUser::Conflict) {
          throw Conflict("group '" + input.name + "' already exists");
        }
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
        group.description = input.description;
        stamp(group, input.kept);
        group.id = store_.insert_group(group);
        group_gids_.created(group);
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
    normalise_window(in);
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

void Loader::create(UserInput& in) {
  PendingUser pending;
  pending.line = in.line;
  if (!resolve_groups(in, pending.row.group_ids)) return;
  model::User& user = pending.row.user;
  user.username = std::move(in.username);
  user.name = in.name.value_or("");
  user.email = empty_as_none(in.email);
  user.groups = in.groups.value_or(std::vector<std::string>{});
  user.attrs = in.attrs.value_or(model::Attributes{});
  user.disabled = in.disabled.value_or(false);
  std::vector<std::string> window;
  apply_window_fields(user, in, window);
  stamp(user, in.kept);
  pending.row.password_hash = std::move(in.password_hash);
  pending.ssh_keys = std::move(in.ssh_keys);
  for (const auto& key : pending.ssh_keys) user.ssh_keys.push_back(key.line());
  if (const auto group = in.uid ? group_gids_.name_of(*in.uid) : std::nullopt;
      group && *group != user.username) {  // a same-named group is the private one, as a row
    problem_at(in.line, "uid " + std::to_string(*in.uid) + " is the gid of group '" + *group + "'",
               ExitCode::Conflict);
    return;
  }
  try {
    user.uid = uids_.next(in.uid);
  } catch (const Conflict& full) {  // the uid range is used up: say which record needed one
    problem_at(in.line, "user '" + user.username + "': " + full.what(), ExitCode::Conflict);
    return;
  }
  if (const auto problem = primary_gid_problem(store_, in, user.uid)) return problem_at(in.line, *problem);
  apply_posix_fields(user, in, settings_);
  if (!writing()) return;
  batch_.push_back(std::move(pending));
  if (batch_.size() >= kBatchSize) flush();
}

void Loader::update(model::User current, UserInput& in) {
  const model::User before = current;
  const std::int64_t old_uid = current.uid;
  std::vector<std::string> changed = apply_record_fields(current, in);
  if (const auto problem = primary_gid_problem(store_, in, current.uid)) return problem_at(in.line, *problem);
  update_posix_fields(current, old_uid, in, changed);
  apply_state_fields(current, in, changed);
  apply_window_fields(current, in, changed);
  std::vector<std::int64_t> group_ids;
  if (!resolve_groups(in, group_ids)) return;
  const bool groups_change = in.groups && *in.groups != current.groups;
  if (groups_change) changed.emplace_back("groups");
  const bool password_change = in.password_hash && store_.password_hash(current.id) != in.password_hash;
  if (password_change) changed.emplace_back("password");
  if (password_change && !in.password_changed_at) current.password_changed_at = now_;
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
    problem_at(in.line, "user '" + current.username + "': " + conflicts_.update(current, conflict),
               ExitCode::Conflict);
    return;
  }
  model::Change change{model::ChangeType::UserUpdated, current, std::nullopt, changed};
  change.user_before = std::make_shared<const model::User>(before);
  emit(change, &before, in.line);
  ++summary_.updated;
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
    const std::size_t index = start + conflict.row;
    const Explanation why = conflicts_.new_user(batch_, index, conflict);
    problem_at(batch_[index].line, why.what, why.code);
    return index + 1;
  } catch (const Error&) {
    if (!problems_.any()) throw;
    stop_writing();  // an earlier problem left the transaction unusable
    return batch_.size();
  }
  if (!first_inserted_id_ && !rows.empty()) first_inserted_id_ = rows.front().user.id;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& key : batch_[start + i].ssh_keys) store_.insert_ssh_key(rows[i].user.id, key);
    // The bulk insert writes no window (store/lifecycle_sql.hpp): the few users with one get it so.
    const model::User& user = rows[i].user;
    if (user.valid_from || user.expires_at || user.password_changed_at) store_.update_user(user);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    emit({model::ChangeType::UserCreated, rows[i].user, std::nullopt, {}}, nullptr, batch_[start + i].line);
  }
  summary_.created += static_cast<std::int64_t>(rows.size());
  return batch_.size();
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
      const auto count = static_cast<std::int64_t>(group->members.size());
      emit(model::membership_change(model::ChangeType::MemberAdded, *current, *group, count), nullptr, line);
      ++summary_.members_added;
    }
  }
}

namespace {

// "alice, bob, carol, …": the first few names of a long list.
std::string first_names(const std::vector<model::User>& users) {
  constexpr std::size_t kShown = 5;
  std::string text;
  for (std::size_t i = 0; i < users.size() && i < kShown; ++i) text += (i ? ", " : "") + users[i].username;
  if (users.size() > kShown) text += ", …";
  return text;
}

}  // namespace

// apply --prune deletes what the file lacks, so a truncated or empty file (a failed export, an
// unset variable) would delete everybody: both guards refuse before anything is deleted, and
// the transaction rolls back whatever the load did.
void Loader::check_prune(const std::vector<model::User>& doomed) {
  const std::int64_t count = static_cast<std::int64_t>(doomed.size());
  if (seen_.empty() && !options_.allow_empty) {
    throw Invalid("the input has no users: apply --prune would delete all " + std::to_string(count) +
                      " users; nothing was changed",
                  "give --allow-empty if that is meant");
  }
  const std::int64_t before = store_.count_users() - summary_.created;
  const std::int64_t limit = options_.max_deletes.value_or(std::max<std::int64_t>(10, before / 10));
  if (count > limit) {
    throw Invalid("apply --prune would delete " + std::to_string(count) + " users (" + first_names(doomed) +
                      "), more than the limit of " + std::to_string(limit) + "; nothing was changed",
                  "raise it with --max-deletes " + std::to_string(count) + " if that is meant");
  }
}

void Loader::prune() {
  std::vector<model::User> doomed;
  store_.list_users(model::UserQuery{}, [&](const model::User& user) {
    if (!seen_.count(user.username)) doomed.push_back(user);
  });
  check_prune(doomed);
  // As `delete` does: to the recycle bin, or for good when recycle_days is 0; a final delete's
  // event joins the history under the negated id (store/lifecycle_sql.hpp).
  const bool final = recycle_days(store_) == 0;
  for (const auto& user : doomed) {
    bin_or_delete_user(store_, user, actor_, final);
    model::Change change{model::ChangeType::UserDeleted, user, std::nullopt, {}};
    if (final) change.user->id = -user.id;
    emit(change, nullptr, 0);
    ++summary_.deleted;
  }
}

void Loader::finish() {
  flush();
  if (!writing()) return;
  add_remaining_members();
  if (emitting() && options_.absent == AbsentUser::Delete) prune();
}

}  // namespace usersctl::core::bulk
