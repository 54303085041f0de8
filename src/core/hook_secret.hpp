#pragma once
// Webhook signing secrets as `hook add --secret-file` takes them: a Standard Webhooks secret
// ("whsec_" + base64 of a 24 to 64 byte key), or (--secret-format raw) the key bytes themselves.
// Either way the hook keeps the whsec_ form.

#include <string>
#include <string_view>

namespace usersctl::core {

enum class HookSecretFormat { Whsec, Raw };

inline constexpr std::size_t kMinHookKeyBytes = 24;  // the Standard Webhooks bounds
inline constexpr std::size_t kMaxHookKeyBytes = 64;

// Reads the secret file at `path` (at most 4 KiB) and returns the secret in whsec_ form. Whsec:
// surrounding whitespace (a final newline) is ignored. Raw: every byte is the key, newline
// included. Throws Invalid (exit 5) with one line naming the file and what is wrong.
std::string read_hook_secret_file(const std::string& path, HookSecretFormat format);

// Throws Invalid unless `secret` is "whsec_" followed by standard base64 of a 24 to 64 byte key.
// `source` starts the message ("--secret-file 'F'").
void validate_hook_secret(std::string_view secret, std::string_view source);

}  // namespace usersctl::core
