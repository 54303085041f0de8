#pragma once
// Readers of user files for import and apply: JSON Lines, CSV (RFC 4180) and the 7-field
// /etc/passwd format (with hashes from a shadow file). Each streams one record at a time, so
// memory stays flat for a file of any size.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

#include "core/user_input.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

// A problem with one record of an input file. The reader has consumed the record, so the
// caller can go on reading and report every problem, each with its line.
struct LineError : Invalid {
  LineError(const std::string& file, std::size_t line_number, const std::string& problem)
      : Invalid(file + ": line " + std::to_string(line_number) + ": " + problem), line(line_number) {}
  std::size_t line;
};

enum class InputFormat { Jsonl, Csv, Passwd, Dump, Ldif };

// "jsonl", "csv", "passwd", "dump", "ldif"; throws UsageError for anything else.
InputFormat parse_input_format(const std::string& name);

class UserReader {
 public:
  virtual ~UserReader() = default;
  // Reads the next record into `out`; false at the end of the input. A bad record throws
  // LineError; one that makes the rest unreadable (a CSV header) throws Invalid.
  virtual bool next(UserInput& out) = 0;
  // Bytes consumed so far, for progress.
  virtual std::uint64_t position() const = 0;
  // What errors call the input ("users.csv", "stdin").
  virtual const std::string& label() const = 0;
};

// One shadow line: the hash field ("!", "*", "!$y$…", "$y$…"), lastchg and expire (days since
// 1970-01-01, as text; empty when not set).
struct ShadowEntry {
  std::string hash;
  std::string lastchg;
  std::string expire;
};
// username → its shadow line.
using ShadowHashes = std::map<std::string, ShadowEntry>;
ShadowHashes read_shadow_file(std::istream& in, const std::string& label);

// `label` names the input in errors ("users.csv", "stdin"). `shadow` may be null.
std::unique_ptr<UserReader> make_user_reader(InputFormat format, std::istream& in, std::string label,
                                             const ShadowHashes* shadow);

}  // namespace usersctl::core
