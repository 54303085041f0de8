#pragma once
// Runs each mutation as one write transaction and collects the changes it made. This is
// the seam where every change and its record of what changed commit together.

#include <functional>
#include <string>
#include <vector>

#include "core/change.hpp"
#include "store/store.hpp"

namespace usersctl::core {

class MutationRunner {
 public:
  MutationRunner(store::Store& store, std::string actor) : store_(store), actor_(std::move(actor)) {}

  // Runs `work` in one write transaction. `work` appends what it changed; nothing is kept
  // when it throws. Returns the committed changes (empty for a no-op).
  std::vector<Change> run(const std::function<void(std::vector<Change>&)>& work);

  store::Store& store() { return store_; }
  const std::string& actor() const { return actor_; }

 private:
  store::Store& store_;
  std::string actor_;
};

}  // namespace usersctl::core
