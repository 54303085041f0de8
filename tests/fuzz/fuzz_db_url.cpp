// The --db / USERSCTL_DB URL parser and the redaction used in messages and `health`.

#include <cstdlib>

#include "fuzz_input.hpp"
#include "util/db_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = usersctl::fuzz::as_text(data, size);
  usersctl::fuzz::refusing_is_fine([&] {
    const usersctl::util::DbUrl parsed = usersctl::util::parse_db_url(url);
    if (parsed.target.empty()) std::abort();  // the parser promises a target
  });
  const std::string redacted = usersctl::util::redact_db_url(url);
  // Redaction only ever replaces passwords (userinfo and a password= parameter): each "***" it
  // writes may lengthen the URL by at most its own three characters.
  std::size_t masks = 0;
  for (auto at = redacted.find("***"); at != std::string::npos; at = redacted.find("***", at + 3)) ++masks;
  if (redacted.size() > url.size() + 3 * masks) std::abort();
  return 0;
}
