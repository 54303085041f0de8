#pragma once
// The importers (JSONL, CSV, passwd): the input as a file, read record by record the way
// `usersctl import` reads it, then loaded as a dry run into the in-memory store (validation,
// conflicts, the plan) so the store never changes between inputs.

#include <cstdlib>
#include <sstream>
#include <string>

#include "core/bulk_service.hpp"
#include "core/mutation.hpp"
#include "core/user_reader.hpp"
#include "fuzz_input.hpp"
#include "memory_store.hpp"

namespace usersctl::fuzz {

inline void fuzz_import(core::InputFormat format, const std::uint8_t* data, std::size_t size) {
  const std::string text(as_text(data, size));
  // 1. Every record, each problem on its own (a reader consumes a bad record and goes on).
  refusing_is_fine([&] {
    std::istringstream in(text);
    const auto reader = core::make_user_reader(format, in, "fuzz", nullptr);
    core::UserInput record;
    for (std::size_t records = 0;; ++records) {
      if (records > text.size() + 1) std::abort();  // more records than bytes: the reader is stuck
      try {
        if (!reader->next(record)) break;
      } catch (const core::LineError&) {
      }
    }
  });
  // 2. The whole load, as `import --dry-run` does it.
  refusing_is_fine([&] {
    std::istringstream in(text);
    const auto reader = core::make_user_reader(format, in, "fuzz", nullptr);
    core::MutationRunner runner(memory_store(), memory_store().records(), memory_store().outbox(), "fuzz");
    core::BulkService bulk(runner, memory_store());
    core::BulkOptions options;
    options.run = core::BulkRun::DryRun;
    bulk.load(
        *reader, {}, options, [](const model::PlannedChange&) {}, [] {});
  });
}

}  // namespace usersctl::fuzz
