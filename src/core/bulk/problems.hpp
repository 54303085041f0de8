#pragma once
// The problems a bulk load found so far, each "FILE: line N: what", up to a limit; reported
// together, sorted by line, as one BulkFailure.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/bulk_service.hpp"
#include "util/errors.hpp"

namespace usersctl::core::bulk {

class Problems {
 public:
  explicit Problems(std::size_t limit) : limit_(limit) {}
  // `line` orders the report (0: another file, first): conflicts surface when a batch is
  // written, after bad lines read later.
  void add(const Error& error, std::size_t line);
  bool any() const { return !found_.empty(); }
  bool full() const { return found_.size() >= limit_; }
  // Reading stopped at the limit: the rest of the input may hold more.
  void stopped_early() { truncated_ = true; }
  // Exit 5 when any problem is bad input, else 4 (only conflicts with the database).
  BulkFailure failure() const;

 private:
  std::size_t limit_;
  std::vector<std::pair<std::size_t, std::string>> found_;
  bool invalid_ = false;
  bool truncated_ = false;
};

}  // namespace usersctl::core::bulk
