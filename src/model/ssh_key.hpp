#pragma once
// One SSH public key of a user, as stored: the parts of an authorized_keys line without options.

#include <string>

namespace usersctl::model {

struct SshKey {
  std::string type;         // "ssh-ed25519", ...
  std::string key_base64;   // the key data as the line writes it
  std::string comment;      // possibly empty
  std::string fingerprint;  // "SHA256:..." as ssh-keygen -l prints it; unique per user
  std::string added_at;     // RFC 3339 UTC

  // "TYPE BASE64 COMMENT", no trailing space without a comment (what sshd reads).
  std::string line() const {
    return comment.empty() ? type + ' ' + key_base64 : type + ' ' + key_base64 + ' ' + comment;
  }
};

}  // namespace usersctl::model
