#pragma once
// The one redaction of URLs for every message, listing and health report: database URLs
// (`postgresql://…`, libpq `key=value` strings) and webhook URLs alike.

#include <string>
#include <string_view>
#include <vector>

namespace usersctl::util {

// The text with each secret replaced by ***: the password in the userinfo (`user:***@host`; the
// userinfo ends at the last '@' before the host, so a raw '@', '?' or '#' in the password is masked
// too), and the value of every query parameter or libpq keyword that names a secret (`password`,
// `sslpassword`, `token`, `access_token`, `api_key`, `secret`, `sig`, ...). A plain path is unchanged.
std::string redact_url(std::string_view url);
// The secrets redact_url masks, as written and percent-decoded, so that messages from a driver or
// libcurl can be scrubbed of them (scrub_secrets).
std::vector<std::string> url_secrets(std::string_view url);
// The text with each non-empty secret replaced by ***.
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace usersctl::util
