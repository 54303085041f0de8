#pragma once
// Typed errors, each carrying the exit code the man page (EXIT STATUS) documents for it.
// One catch in main() turns them into `usersctl: error: <what>` and the exit code.

#include <stdexcept>
#include <string>

namespace usersctl {

enum class ExitCode : int {
  Ok = 0,
  Internal = 1,
  Usage = 2,
  NotFound = 3,
  Conflict = 4,
  Invalid = 5,
  Unavailable = 6,
  DeliveryPending = 7,
  OutputFailed = 8,
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& what, std::string hint = {})
      : std::runtime_error(what), code_(code), hint_(std::move(hint)) {}
  ExitCode code() const { return code_; }
  const std::string& hint() const { return hint_; }

 private:
  ExitCode code_;
  std::string hint_;
};

struct UsageError : Error {
  explicit UsageError(const std::string& what, std::string hint = {})
      : Error(ExitCode::Usage, what, std::move(hint)) {}
};
struct NotFound : Error {
  explicit NotFound(const std::string& what, std::string hint = {})
      : Error(ExitCode::NotFound, what, std::move(hint)) {}
};
struct Conflict : Error {
  explicit Conflict(const std::string& what, std::string hint = {})
      : Error(ExitCode::Conflict, what, std::move(hint)) {}
};
struct Invalid : Error {
  explicit Invalid(const std::string& what, std::string hint = {})
      : Error(ExitCode::Invalid, what, std::move(hint)) {}
};
struct Unavailable : Error {
  explicit Unavailable(const std::string& what, std::string hint = {})
      : Error(ExitCode::Unavailable, what, std::move(hint)) {}
};
// stdout could not be written or flushed (a full disk, /dev/full, a closed pipe): the data is lost.
struct OutputError : Error {
  explicit OutputError(const std::string& what, std::string hint = {})
      : Error(ExitCode::OutputFailed, what, std::move(hint)) {}
};
struct InternalError : Error {
  explicit InternalError(const std::string& what) : Error(ExitCode::Internal, what) {}
};

}  // namespace usersctl
