#pragma once
// One bulk load (import, apply) inside its write transaction: takes the input records one by
// one, batches new users, updates existing ones, joins groups and prunes, handing every change
// to the event stream and the plan. The pieces it leans on live beside it: the problem report,
// uid allocation, conflict explanations and the per-record rules.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/bulk/conflicts.hpp"
#include "core/bulk/group_gids.hpp"
#include "core/bulk/pending_user.hpp"
#include "core/bulk/problems.hpp"
#include "core/bulk/uid_cursor.hpp"
#include "core/bulk_service.hpp"
#include "core/mutation.hpp"
#include "core/settings.hpp"
#include "store/store.hpp"

namespace usersctl::core::bulk {

class Loader {
 public:
  Loader(store::Store& store, const std::string& actor, EventStream& events, const BulkOptions& options,
         const model::PlanSink& plan, const std::string& label, Problems& problems, BulkSummary& summary);

  void create_groups(const std::vector<GroupInput>& groups);
  void take(UserInput& in);
  void finish();
  void stop_writing() { store_failed_ = true; }

 private:
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

  template <typename Record>
  void stamp(Record& record, const std::optional<KeptState>& kept) const;
  std::optional<std::int64_t> group_id(const std::string& name);
  bool resolve_groups(const UserInput& in, std::vector<std::int64_t>& ids);
  void create(UserInput& in);
  void update(model::User current, UserInput& in);
  void flush();
  std::size_t insert_from(std::size_t start);
  bool ours(std::int64_t row_id) const { return first_inserted_id_ && row_id >= *first_inserted_id_; }
  void add_remaining_members();
  void prune();
  void check_prune(const std::vector<model::User>& doomed);

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
  std::vector<PendingUser> batch_;
  std::optional<std::int64_t> first_inserted_id_;  // row ids rise: any id from here on is this load's
  std::unordered_set<std::int64_t> updated_ids_;
  std::unordered_map<std::string, std::int64_t> group_ids_;
  UidCursor uids_;
  GroupGids group_gids_{store_};
  ConflictExplainer conflicts_;
  // From --group-file: user → groups it joins, and the group file lines naming each member.
  std::unordered_map<std::string, std::vector<std::string>> joins_;
  std::map<std::string, std::size_t> members_not_in_file_;
  const std::string& group_label_ = options_.group_file_label;
  // apply --prune: every username the file has.
  std::unordered_set<std::string> seen_;
};

}  // namespace usersctl::core::bulk
