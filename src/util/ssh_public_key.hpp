#pragma once
// One OpenSSH public key, as an authorized_keys line without options: `TYPE BASE64 [COMMENT]`
// (the format of a .pub file). The key data is decoded and checked the way sshd would read it,
// so a key that is accepted here is one sshd can use.

#include <string>
#include <string_view>

namespace usersctl::util {

struct SshPublicKey {
  std::string type;            // "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", ...
  std::string blob;            // the decoded key data (bytes): the wire format of RFC 4253 §6.6
  std::string comment;         // free text after the key, possibly empty
  unsigned bits = 0;           // the size ssh-keygen -l shows: RSA modulus bits, the curve for ECDSA
  std::string fingerprint;     // "SHA256:" + unpadded base64 of SHA-256(blob), as ssh-keygen -l prints it
  std::string type_label;      // ssh-keygen's name for the type: ED25519, RSA, ECDSA, ED25519-SK, ECDSA-SK
  std::string canonical_line;  // "TYPE BASE64 COMMENT" with single spaces, no comment no trailing space
};

// Leading and trailing blanks and a trailing CR (or CR LF) are ignored. Throws usersctl::Invalid
// "not an SSH public key: <reason>"; the reason never repeats the key data, and quotes a bad type
// field only in part. Refused: options before the type, unknown types, ssh-dss, certificates,
// private keys, key data that is not strict base64 or not well formed for its type, RSA keys sshd
// refuses for their size, and comments with control characters or that are not UTF-8.
SshPublicKey parse_ssh_public_key(std::string_view line);

// "SHA256:..." of a key blob, exactly as ssh-keygen -l prints it.
std::string ssh_key_fingerprint(std::string_view blob);

// The line `ssh-keygen -l -f FILE` prints for the key: "256 SHA256:... comment (ED25519)", with
// "no comment" when there is none.
std::string ssh_keygen_listing(const SshPublicKey& key);

}  // namespace usersctl::util
