// The --db / USERSCTL_DB URL parser and the redaction used in messages and `health`.

#include <cstdlib>

#include "fuzz_input.hpp"
#include "util/db_url.hpp"
#include "util/url_redaction.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = usersctl::fuzz::as_text(data, size);
  usersctl::fuzz::refusing_is_fine([&] {
    const usersctl::util::DbUrl parsed = usersctl::util::parse_db_url(url);
    if (parsed.target.empty()) std::abort();  // the parser promises a target
  });
  const std::string redacted = usersctl::util::redact_url(url);
  // Redaction only ever replaces secrets (userinfo password, secret parameters): each "***" it
  // writes may lengthen the URL by at most its own three characters.
  std::size_t masks = 0;
  for (auto at = redacted.find("***"); at != std::string::npos; at = redacted.find("***", at + 3)) ++masks;
  if (redacted.size() > url.size() + 3 * masks) std::abort();
  // Scrubbing a message of the URL's secrets leaves none of them in it. A secret holding the mask's
  // own '*' is left out of the check: a mask next to untouched text can spell it ("*@h" after
  // "***" + "@h") without one character of the secret surviving.
  const auto secrets = usersctl::util::url_secrets(url);
  const std::string scrubbed = usersctl::util::scrub_secrets(std::string(url), secrets);
  for (const auto& secret : secrets) {
    if (secret.find('*') == std::string::npos && scrubbed.find(secret) != std::string::npos) std::abort();
  }
  return 0;
}
