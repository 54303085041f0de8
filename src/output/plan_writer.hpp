#pragma once
// The plan of a dry run (import --dry-run, apply --dry-run): a readable diff on a terminal,
// one JSON object a line when piped (stdout carries the data: README.md, "Output").

#include <iosfwd>
#include <memory>

#include "model/change.hpp"

namespace usersctl::output {

enum class PlanStyle { Diff, Jsonl };

class PlanWriter {
 public:
  virtual ~PlanWriter() = default;
  virtual void write(const model::PlannedChange& step) = 0;
};

std::unique_ptr<PlanWriter> make_plan_writer(PlanStyle style, std::ostream& out);

}  // namespace usersctl::output
