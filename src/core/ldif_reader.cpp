#include "core/ldif_reader.hpp"

#include "core/user_reader.hpp"
#include "util/base64.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

// An AttributeDescription: a name (letters, digits, '-') or an OID, then ;options.
bool valid_attribute_name(const std::string& name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == ';';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool LdifReader::read_physical() {
  if (has_physical_) return true;
  if (!source_.next(physical_)) return false;
  if (physical_.size() > kMaxLdifLine) {
    throw LineError(label(), source_.line_number(), "is longer than 1 MiB");
  }
  has_physical_ = true;
  return true;
}

bool LdifReader::next_logical(Logical& out) {
  while (true) {
    if (!read_physical()) return false;
    has_physical_ = false;
    out.line = source_.line_number();
    out.text = std::move(physical_);
    // A comment, folded or not, is nothing; a stray continuation of nothing is refused below.
    const bool comment = !out.text.empty() && out.text.front() == '#';
    while (read_physical() && !physical_.empty() && physical_.front() == ' ') {
      has_physical_ = false;
      if (out.text.size() + physical_.size() > kMaxLdifLine) {
        throw LineError(label(), out.line, "an unfolded line is longer than 1 MiB");
      }
      out.text.append(physical_, 1, std::string::npos);
    }
    if (!comment) return true;
  }
}

LdifAttribute LdifReader::parse_line(const Logical& line) const {
  const auto fail = [&](const std::string& what) -> LdifAttribute { throw Invalid(what); };
  if (!line.text.empty() && line.text.front() == ' ')
    return fail("a continuation line with nothing to continue");
  const auto colon = line.text.find(':');
  if (colon == std::string::npos) return fail("is not 'attribute: value'");
  LdifAttribute attribute;
  attribute.line = line.line;
  const std::string name = line.text.substr(0, colon);
  if (!valid_attribute_name(name)) return fail("'" + name.substr(0, 64) + "' is not an attribute name");
  attribute.name = lower(name.substr(0, name.find(';')));
  std::size_t pos = colon + 1;
  const bool base64 = pos < line.text.size() && line.text[pos] == ':';
  if (pos < line.text.size() && line.text[pos] == '<') return fail("URL values (':<') are not read");
  if (base64) ++pos;
  while (pos < line.text.size() && line.text[pos] == ' ') ++pos;
  std::string value = line.text.substr(pos);
  if (base64) {
    try {
      value = util::base64_decode(value);
    } catch (const Invalid& problem) {
      return fail("'" + attribute.name + "': " + problem.what());
    }
  } else if (source_.text_problem(value)) {
    return fail("'" + attribute.name + "' is not UTF-8 text");
  }
  attribute.value = std::move(value);
  return attribute;
}

bool LdifReader::next(LdifEntry& entry) {
  entry = LdifEntry{};
  Logical line;
  do {  // blank lines between entries, and the optional "version: 1" before the first
    if (!next_logical(line)) return false;
    if (!started_ && line.text.rfind("version:", 0) == 0) {
      if (line.text.find_first_not_of(' ', 8) == std::string::npos ||
          line.text.substr(line.text.find_first_not_of(' ', 8)) != "1") {
        throw LineError(label(), line.line, "only LDIF version 1 is read");
      }
      line.text.clear();
    }
    started_ = started_ || !line.text.empty();
  } while (line.text.empty());
  std::string problem;
  std::size_t problem_line = 0;
  const auto note = [&](const Invalid& error, std::size_t at) {
    if (problem.empty()) problem = error.what(), problem_line = at;
  };
  // Read to the entry's end whatever goes wrong, so the next entry starts clean.
  for (bool first = true; !line.text.empty(); first = false) {
    try {
      LdifAttribute attribute = parse_line(line);
      if (first) {
        if (attribute.name != "dn") throw Invalid("an entry starts with 'dn:'");
        entry.dn = std::move(attribute.value);
        entry.line = line.line;
      } else if (attribute.name == "changetype") {
        throw Invalid("change records are not read (give ldapsearch or slapcat output)");
      } else if (attribute.name == "dn") {
        throw Invalid("a second 'dn:' in one entry (a blank line must separate entries)");
      } else {
        entry.attributes.push_back(std::move(attribute));
      }
    } catch (const LineError&) {
      throw;
    } catch (const Invalid& error) {
      note(error, line.line);
    }
    if (!next_logical(line)) break;
  }
  if (!entry.dn.empty()) {  // a bad entry's DN counts too: its second copy is still a duplicate
    const auto [it, fresh] = seen_dns_.emplace(lower(entry.dn), entry.line);
    if (!fresh && problem.empty()) {
      problem = "duplicate entry '" + entry.dn.substr(0, 200) + "' (first at line " +
                std::to_string(it->second) + ")";
      problem_line = entry.line;
    }
  }
  if (!problem.empty()) throw LineError(label(), problem_line, problem);
  return true;
}

}  // namespace usersctl::core
