#pragma once
// RFC 4180 records from a text stream: comma separated, fields optionally in double quotes
// (a quote inside doubled), quoted fields may span lines; LF or CRLF ends a record.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "core/line_source.hpp"

namespace usersctl::core {

class CsvParser {
 public:
  CsvParser(std::istream& in, std::string label) : source_(in, std::move(label)) {}

  // The next record's fields; false at the end. A malformed record throws LineError after
  // it has been consumed. Blank lines are skipped.
  bool next(std::vector<std::string>& fields);
  // The line the last record started on.
  std::size_t record_line() const { return record_line_; }
  std::uint64_t position() const { return source_.position(); }
  const std::string& label() const { return source_.label(); }

 private:
  // Splits `line_` (already known to be text) into `fields`; reads on while a quoted field
  // continues past the line end. Returns a problem, or an empty string.
  std::string split(std::vector<std::string>& fields);

  LineSource source_;
  std::string line_;
  std::size_t record_line_ = 0;
};

}  // namespace usersctl::core
