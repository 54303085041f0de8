#include "core/line_source.hpp"

#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::core {

bool LineSource::next(std::string& line) {
  line.clear();
  // In chunks, so that a line without an end (`cat /dev/zero`) costs kMaxLineBytes at most.
  char chunk[64 * 1024];
  bool ended = false;
  while (true) {
    in_.getline(chunk, sizeof chunk);
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (in_.bad()) throw Invalid("cannot read " + label_ + ": input/output error");
    // A full chunk without the end sets failbit (and is not the end); else the line ended, or the input.
    const bool full = in_.fail() && !in_.eof() && got == sizeof chunk - 1;
    ended = !full && !in_.eof();
    const std::size_t text = ended ? got - 1 : got;  // gcount counts the '\n' it extracted
    if (line.size() + text > kMaxLineBytes) {
      throw Invalid(label_ + ": line " + std::to_string(line_number_ + 1) + " is longer than " +
                    std::to_string(kMaxLineBytes >> 20) + " MiB; nothing was read past it");
    }
    line.append(chunk, text);
    if (!full) break;
    in_.clear();
  }
  if (!ended && line.empty()) return false;
  ++line_number_;
  position_ += line.size() + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::optional<std::string> LineSource::text_problem(const std::string& line) const {
  if (line.find('\0') != std::string::npos) return "contains a NUL byte";
  if (!util::is_valid_utf8(line)) return "is not valid UTF-8";
  return std::nullopt;
}

}  // namespace usersctl::core
