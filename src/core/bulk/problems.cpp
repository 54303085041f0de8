#include "core/bulk/problems.hpp"

#include <algorithm>

namespace usersctl::core::bulk {

void Problems::add(const Error& error, std::size_t line) {
  if (error.code() != ExitCode::Conflict) invalid_ = true;
  if (found_.size() < limit_) {
    found_.emplace_back(line, error.what());
  } else {
    truncated_ = true;
  }
}

BulkFailure Problems::failure() const {
  auto found = found_;
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> messages;
  for (auto& [line, message] : found) messages.push_back(std::move(message));
  return BulkFailure(invalid_ ? ExitCode::Invalid : ExitCode::Conflict, std::move(messages), truncated_);
}

}  // namespace usersctl::core::bulk
