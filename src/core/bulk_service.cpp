#include "core/bulk_service.hpp"

#include <algorithm>
#include <charconv>
#include <istream>

#include "core/bulk/input_rules.hpp"
#include "core/bulk/loader.hpp"
#include "core/bulk/problems.hpp"
#include "core/json_line.hpp"
#include "core/line_source.hpp"
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

// Appends the number after each `"key"` + optional blanks + `:` in `line`.
void scan_ids(const std::string& line, std::string_view key, std::vector<std::int64_t>& ids) {
  for (auto at = line.find(key); at != std::string::npos; at = line.find(key, at + 1)) {
    std::size_t i = at + key.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != ':') continue;
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(line.data() + i, line.data() + line.size(), value);
    if (error == std::errc()) ids.push_back(value);
  }
}

// A line whose keys may be escaped: its uid and gid as the reader would take them.
void parsed_ids(const std::string& line, std::vector<std::int64_t>& ids) {
  try {
    const nlohmann::json object = parse_json_line(line);
    if (!object.is_object()) return;
    for (const char* key : {"uid", "gid"}) {
      const auto it = object.find(key);
      if (it != object.end() && it->is_number_integer()) ids.push_back(it->get<std::int64_t>());
    }
  } catch (const std::exception&) {
    // A bad line: the load reports it.
  }
}

}  // namespace

std::vector<std::int64_t> collect_jsonl_ids(std::istream& in, const std::string& label) {
  std::vector<std::int64_t> ids;
  LineSource source(in, label);
  std::string line;
  try {
    while (source.next(line)) {
      if (line.find('\\') != std::string::npos) {
        parsed_ids(line, ids);
      } else {
        scan_ids(line, "\"uid\"", ids);
        scan_ids(line, "\"gid\"", ids);
      }
    }
  } catch (const Invalid&) {
    // An overlong line: the load stops at it with its number.
  }
  return bulk::sorted_unique(std::move(ids));
}

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
  return bulk::sorted_unique(std::move(ids));
}

BulkSummary BulkService::load(UserReader& reader, const std::vector<GroupInput>& groups,
                              const BulkOptions& options, const model::PlanSink& plan,
                              const std::function<void()>& progress) {
  BulkSummary summary;
  bool started = false;
  try {
    runner_.run_bulk([&](EventStream& events) {
      // The store runs a write again after a dropped connection or a serialization failure; a
      // load cannot be, as its input is a stream already read (a second run would write only
      // the rest of the file and call that a success).
      if (started) {
        throw Unavailable(
            "the database connection was lost (or the transaction had to be retried) during "
            "the load, whose input cannot be read twice; nothing was written",
            "run it again");
      }
      started = true;
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
