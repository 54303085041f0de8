#include "core/bulk_service.hpp"

#include <algorithm>

#include "core/bulk/loader.hpp"
#include "core/bulk/problems.hpp"
#include "core/settings.hpp"

namespace usersctl::core {

namespace {

// Thrown inside the write transaction to roll a dry run back once it has run to the end.
struct DryRunDone {};

// Before the loader reads the settings (the id ranges, the defaults), so it sees the new ones.
void write_settings(store::Store& store, const BulkOptions& options, EventStream& events,
                    const model::PlanSink& plan) {
  for (const auto& [key, value] : options.settings) {
    auto change = write_setting(store, key, value);
    if (!change) continue;
    events.add(*change);
    if (plan) plan({*change, nullptr, 0});
  }
}

}  // namespace

std::vector<std::int64_t> collect_file_ids(UserReader& reader) {
  std::vector<std::int64_t> ids;
  UserInput input;
  while (true) {
    try {
      if (!reader.next(input)) break;
    } catch (const LineError&) {
      continue;
    } catch (const Invalid&) {
      break;  // the rest is unreadable (a bad CSV header): the load says so
    }
    if (input.uid) ids.push_back(*input.uid);
    if (input.gid) ids.push_back(*input.gid);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

BulkSummary BulkService::load(UserReader& reader, const std::vector<GroupInput>& groups,
                              const BulkOptions& options, const model::PlanSink& plan,
                              const std::function<void()>& progress) {
  BulkSummary summary;
  try {
    runner_.run_bulk([&](EventStream& events) {
      summary = BulkSummary{};
      bulk::Problems problems(options.max_problems);
      write_settings(db_.records(), options, events, plan);
      bulk::Loader loader(db_.records(), runner_.actor(), events, options, plan, reader.label(), problems,
                          summary);
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
      if (options.run == BulkRun::Commit && options.before_commit) options.before_commit();
      if (options.run == BulkRun::DryRun) throw DryRunDone{};
    });
  } catch (const DryRunDone&) {
    // Rolled back, as a dry run must be; `summary` says what would have happened.
  }
  return summary;
}

}  // namespace usersctl::core
