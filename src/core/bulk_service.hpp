#pragma once
// Import and apply: many users from a file in one transaction. Every record is validated and
// every problem reported with its line (up to a limit); any problem, and a dry run, leaves
// the database as it was. Records stream through in batches, so memory stays flat however
// large the file is, and each changed record commits its one event.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/group_file.hpp"
#include "core/mutation.hpp"
#include "core/user_reader.hpp"
#include "model/change.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

enum class ExistingUser { Conflict, Update };  // import; import --upsert and apply
enum class AbsentUser { Keep, Delete };        // apply --prune deletes users the file lacks
enum class BulkRun { Commit, DryRun };

struct BulkOptions {
  ExistingUser existing = ExistingUser::Conflict;
  AbsentUser absent = AbsentUser::Keep;
  BulkRun run = BulkRun::Commit;
  std::size_t max_problems = 20;
  std::string group_file_label = "groups";  // names the --group-file in problems
  // apply --prune guards: an input without users refuses unless allow_empty; deleting more than
  // max_deletes users refuses (none: 10% of the users, at least 10). Both change nothing.
  bool allow_empty = false;
  std::optional<std::int64_t> max_deletes;
  // Settings to write first (a dump's), in order; each that changes is a settings.changed event.
  std::vector<std::pair<std::string, std::string>> settings;
  // Every uid and gid the input gives (sorted; collect_file_ids): allocation avoids them, so a
  // user without a uid never takes the one a later line asks for.
  std::vector<std::int64_t> file_ids;
  // Called inside the transaction after the whole load, before it commits; may throw to roll back.
  std::function<void()> before_commit;
};

struct BulkSummary {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t deleted = 0;
  std::int64_t groups_created = 0;
  std::int64_t members_added = 0;

  std::int64_t changes() const { return created + updated + deleted + groups_created + members_added; }
};

// The problems that stopped a load; nothing was written. The exit code is 5 when any problem
// is bad input, else 4 (only conflicts with the database).
struct BulkFailure : Error {
  BulkFailure(ExitCode code, std::vector<std::string> found, bool more)
      : Error(code, found.front()), problems(std::move(found)), truncated(more) {}
  std::vector<std::string> problems;
  bool truncated;  // stopped at the limit: there may be more
};

// A first pass over the input for BulkOptions::file_ids. Bad records are skipped: the load
// itself reports them.
std::vector<std::int64_t> collect_file_ids(UserReader& reader);
// The same for JSON Lines without parsing them: every number after a "uid" or "gid" key, at any
// depth (an attribute named uid only keeps one more id clear, never less). A line with an escape
// (a key could be spelled \u0075id) is parsed properly. A fifth of an import's time saved.
std::vector<std::int64_t> collect_jsonl_ids(std::istream& in, const std::string& label);

class BulkService {
 public:
  BulkService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  // Loads every record of `reader` (and creates the groups of `groups`, adding their members),
  // calling `plan` for each change and `progress` after each record.
  BulkSummary load(UserReader& reader, const std::vector<GroupInput>& groups, const BulkOptions& options,
                   const model::PlanSink& plan, const std::function<void()>& progress);

 private:
  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
