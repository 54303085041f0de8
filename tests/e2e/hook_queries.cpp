#include "hook_queries.hpp"

namespace usersctl::e2e {

std::vector<json> list_hooks(const E2eSandbox& sandbox) {
  const RunResult r = sandbox.cli({"hook", "list"});
  EXPECT_TRUE(Succeeded(r)) << "hook list";
  return parse_jsonl(r.out);
}

json hook_status(const E2eSandbox& sandbox, std::int64_t hook) {
  const RunResult r = sandbox.cli({"events", "status"});
  EXPECT_TRUE(Succeeded(r)) << "events status";
  for (json& record : parse_jsonl(r.out)) {
    if (record.value("hook", std::int64_t{-1}) == hook) return record;
  }
  ADD_FAILURE() << "events status has no record for hook " << hook << "\n" << r;
  return json::object();
}

}  // namespace usersctl::e2e
