#include "core/mutation.hpp"

namespace usersctl::core {

std::vector<Change> MutationRunner::run(const std::function<void(std::vector<Change>&)>& work) {
  std::vector<Change> changes;
  store_.write([&] {
    changes.clear();  // a retried transaction starts afresh
    work(changes);
  });
  return changes;
}

}  // namespace usersctl::core
