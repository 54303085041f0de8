#pragma once
// Reads what `export --format dump` writes (dump_writer.hpp): the head (the format line, the
// settings, every group) first, then the users one at a time, so memory stays flat.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "core/group_file.hpp"
#include "core/line_source.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {

struct DumpHead {
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<GroupInput> groups;
};

class DumpReader final : public UserReader {
 public:
  DumpReader(std::istream& in, std::string label) : source_(in, std::move(label)) {}

  // The lines before the first user; call once, first. Throws LineError (the head must be whole).
  DumpHead read_head();
  bool next(UserInput& out) override;
  std::uint64_t position() const override { return source_.position(); }
  const std::string& label() const override { return source_.label(); }

 private:
  bool next_line();  // the next non-blank line into line_
  LineSource source_;
  std::string line_;
  bool pending_ = false;  // line_ holds the first user line, read by read_head()
};

}  // namespace usersctl::core
