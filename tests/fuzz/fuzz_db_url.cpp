// The --db / USERSCTL_DB URL parser and the redaction used in messages and `health`.

#include <cstdlib>

#include "fuzz_input.hpp"
#include "store/db_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = usersctl::fuzz::as_text(data, size);
  usersctl::fuzz::refusing_is_fine([&] {
    const usersctl::store::DbUrl parsed = usersctl::store::parse_db_url(url);
    if (parsed.target.empty()) std::abort();  // the parser promises a target
  });
  const std::string redacted = usersctl::store::redact_db_url(url);
  // Redaction only ever replaces a password: it never lengthens a URL without one by more than "***".
  if (redacted.size() > url.size() + 3) std::abort();
  return 0;
}
