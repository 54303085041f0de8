#include "core/line_source.hpp"

#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::core {

bool LineSource::next(std::string& line) {
  if (!std::getline(in_, line)) {
    if (in_.bad()) throw Invalid("cannot read " + label_ + ": input/output error");
    return false;
  }
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
