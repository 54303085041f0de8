#pragma once
// Reads LDIF content records (RFC 2849): what `export --format ldif`, ldapsearch -LLL and slapcat
// print. Folded lines are joined, `::` values base64-decoded, comments skipped; change records and
// `:<` URLs are refused. One entry at a time, so memory stays flat.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/line_source.hpp"

namespace usersctl::core {

// The longest line (physical or unfolded) read; a longer one is refused, not buffered further.
constexpr std::size_t kMaxLdifLine = 1024 * 1024;

struct LdifAttribute {
  std::string name;  // lower case, options (";binary", ";lang-…") removed
  std::string value;
  std::size_t line = 0;
};

struct LdifEntry {
  std::size_t line = 0;  // where the dn line is
  std::string dn;
  std::vector<LdifAttribute> attributes;
};

class LdifReader {
 public:
  LdifReader(std::istream& in, std::string label) : source_(in, std::move(label)) {}

  // The next entry; false at the end. A bad entry throws LineError after the whole entry has
  // been read, so the caller can go on with the next one.
  bool next(LdifEntry& entry);
  std::uint64_t position() const { return source_.position(); }
  const std::string& label() const { return source_.label(); }

 private:
  struct Logical {
    std::string text;
    std::size_t line = 0;
  };
  // The next unfolded line into `out` (empty: an entry ends); false at the end of the input.
  bool next_logical(Logical& out);
  bool read_physical();
  LdifAttribute parse_line(const Logical& line) const;

  LineSource source_;
  std::string physical_;
  bool has_physical_ = false;
  bool started_ = false;                                   // past the optional "version: 1"
  std::unordered_map<std::string, std::size_t> seen_dns_;  // folded dn -> its line
};

}  // namespace usersctl::core
