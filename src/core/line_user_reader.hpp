#pragma once
// A UserReader of one record a line (JSON Lines, passwd): the loop over the lines, skipping those
// the format ignores, and a bad line's problem turned into a LineError that names the line.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/line_source.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {

class LineUserReader : public UserReader {
 public:
  LineUserReader(std::istream& in, std::string label) : source_(in, std::move(label)) {}

  bool next(UserInput& out) final;
  const std::string& label() const final { return source_.label(); }
  std::uint64_t position() const final { return source_.position(); }

 protected:
  // Whether the format has nothing to read on this line (a blank line, a comment).
  virtual bool skips(const std::string& line) const = 0;
  // Reads line_ into `out` (whose line number is set); throws Invalid when the line is bad.
  virtual void parse(UserInput& out) const = 0;

  LineSource source_;
  std::string line_;
};

}  // namespace usersctl::core
