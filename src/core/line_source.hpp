#pragma once
// Reads a text file line by line for the record readers, counting lines and bytes and
// refusing lines that are not UTF-8 or hold NUL bytes before any parser sees them. A line is at
// most kMaxLineBytes long: a longer one stops the read (Invalid, exit 5) before it is all in memory.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>

namespace usersctl::core {

// 16 MiB: far more than any record, little enough to hold.
inline constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

class LineSource {
 public:
  LineSource(std::istream& in, std::string label) : in_(in), label_(std::move(label)) {}

  // The next line without its end (LF or CRLF); false at the end of the input. Throws Invalid,
  // naming the line, for one longer than kMaxLineBytes (the rest of the input is not read).
  bool next(std::string& line);
  // Why the current line cannot be text, or nullopt when it can.
  std::optional<std::string> text_problem(const std::string& line) const;
  std::size_t line_number() const { return line_number_; }
  std::uint64_t position() const { return position_; }
  const std::string& label() const { return label_; }

 private:
  std::istream& in_;
  std::string label_;
  std::size_t line_number_ = 0;
  std::uint64_t position_ = 0;
};

}  // namespace usersctl::core
