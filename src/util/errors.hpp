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

// One error type per exit code: `catch (const NotFound&)` picks out exactly what exits 3.
template <ExitCode Code>
struct CodedError : Error {
  explicit CodedError(const std::string& what, std::string hint = {}) : Error(Code, what, std::move(hint)) {}
};
using UsageError = CodedError<ExitCode::Usage>;
using NotFound = CodedError<ExitCode::NotFound>;
using Conflict = CodedError<ExitCode::Conflict>;
using Invalid = CodedError<ExitCode::Invalid>;
using Unavailable = CodedError<ExitCode::Unavailable>;
// stdout could not be written or flushed (a full disk, /dev/full, a closed pipe): the data is lost.
using OutputError = CodedError<ExitCode::OutputFailed>;
struct InternalError : Error {
  explicit InternalError(const std::string& what) : Error(ExitCode::Internal, what) {}
};

}  // namespace usersctl
