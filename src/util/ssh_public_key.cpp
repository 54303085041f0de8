#include "util/ssh_public_key.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <optional>

#include "util/base64.hpp"
#include "util/errors.hpp"
#include "util/quote.hpp"
#include "util/sha256.hpp"

namespace usersctl::util {
namespace {

enum class KeyKind { Rsa, Ed25519, Ecdsa, Ed25519Sk, EcdsaSk };

struct KeyType {
  std::string_view name;
  std::string_view label;  // sshkey_type() in OpenSSH, what ssh-keygen -l prints in parentheses
  KeyKind kind;
  std::string_view curve;       // ECDSA: the curve name the blob repeats
  std::size_t public_size = 0;  // bytes of the Ed25519 key or of the uncompressed ECDSA point
  unsigned bits = 0;            // all but RSA have the size of their curve
};

constexpr std::array<KeyType, 7> kKeyTypes = {{
    {"ssh-ed25519", "ED25519", KeyKind::Ed25519, "", 32, 256},
    {"ssh-rsa", "RSA", KeyKind::Rsa, "", 0, 0},
    {"ecdsa-sha2-nistp256", "ECDSA", KeyKind::Ecdsa, "nistp256", 65, 256},
    {"ecdsa-sha2-nistp384", "ECDSA", KeyKind::Ecdsa, "nistp384", 97, 384},
    {"ecdsa-sha2-nistp521", "ECDSA", KeyKind::Ecdsa, "nistp521", 133, 521},
    {"sk-ssh-ed25519@openssh.com", "ED25519-SK", KeyKind::Ed25519Sk, "", 32, 256},
    {"sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK", KeyKind::EcdsaSk, "nistp256", 65, 256},
}};

// A 16384-bit RSA key is about 2.8 KB of base64; anything far longer is not one key.
constexpr std::size_t kMaxLineLength = 16384;
// sshd's limits (RequiredRSASize defaults to 1024; OpenSSH reads no larger modulus than 16384 bits).
constexpr unsigned kMinRsaBits = 1024;
constexpr unsigned kMaxRsaBits = 16384;

// The flag options of sshd(8) AUTHORIZED_KEYS FILE FORMAT; the others have '=' and are caught by it.
constexpr std::array<std::string_view, 14> kFlagOptions = {
    "agent-forwarding",   "cert-authority",  "no-agent-forwarding",
    "no-port-forwarding", "no-pty",          "no-user-rc",
    "no-X11-forwarding",  "port-forwarding", "pty",
    "restrict",           "user-rc",         "X11-forwarding",
    "no-touch-required",  "verify-required",
};

[[noreturn]] void refuse(const std::string& reason) { throw Invalid("not an SSH public key: " + reason); }

const KeyType* find_key_type(std::string_view name) {
  for (const KeyType& type : kKeyTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view line) {
  while (!line.empty() && (is_blank(line.back()) || line.back() == '\r' || line.back() == '\n')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
  return line;
}

// The next blank-separated field; rest keeps what follows it, blanks included.
std::string_view next_field(std::string_view& rest) {
  std::size_t start = 0;
  while (start < rest.size() && is_blank(rest[start])) ++start;
  std::size_t end = start;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  const std::string_view field = rest.substr(start, end - start);
  rest.remove_prefix(end);
  return field;
}

// sshd allows options (from="...",no-pty ...) before the type; usersctl stores the key alone and
// leaves restrictions to explicit settings, so say so rather than "unknown type 'from=...'".
bool starts_with_options(std::string_view first, std::string_view line) {
  if (first.find_first_of("=,\"") != std::string_view::npos) return true;
  for (const std::string_view flag : kFlagOptions) {
    if (first == flag) return true;
  }
  std::string_view rest = line;
  next_field(rest);
  for (std::string_view field = next_field(rest); !field.empty(); field = next_field(rest)) {
    if (find_key_type(field) != nullptr) return true;
  }
  return false;
}

// Things people paste instead of a public key, each with a message that says what to do.
[[noreturn]] void refuse_type(std::string_view first, std::string_view line) {
  if (line.starts_with("-----BEGIN") && line.find("PRIVATE KEY") != std::string_view::npos) {
    refuse("this is a private key, which must stay secret; give the public key (the .pub file)");
  }
  if (line.starts_with("---- BEGIN SSH2 PUBLIC KEY")) {
    refuse("this is the RFC 4716 format; convert it with ssh-keygen -i -f FILE");
  }
  if (first == "ssh-dss") refuse("ssh-dss (DSA) keys are obsolete and OpenSSH no longer accepts them");
  if (first.ends_with("-cert-v01@openssh.com")) {
    refuse(quote_value(first) + " is a certificate; give the plain public key");
  }
  if (starts_with_options(first, line)) refuse("options before the key type are not accepted");
  refuse("unknown key type " + quote_value(first));
}

// The length-prefixed fields of RFC 4251 §5 ("string", "mpint"), read from a key blob.
class BlobReader {
 public:
  BlobReader(std::string_view blob, std::string_view type) : rest_(blob), type_(type) {}

  std::string_view string(std::string_view what) {
    if (rest_.size() < 4) fail(std::string(what) + " is missing");
    const auto* p = reinterpret_cast<const unsigned char*>(rest_.data());
    const std::uint32_t length = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                                 std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
    rest_.remove_prefix(4);
    if (length > rest_.size()) fail(std::string(what) + " is cut short");
    const std::string_view value = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return value;
  }

  // RFC 4251 §5: an mpint is two's complement with no unnecessary leading byte, so a positive one
  // starts with 0x00 only when its next byte has the top bit set. Returns the magnitude.
  std::string_view positive_mpint(std::string_view what) {
    std::string_view value = string(what);
    if (value.empty()) fail(std::string(what) + " is zero");
    if ((static_cast<unsigned char>(value[0]) & 0x80) != 0) fail(std::string(what) + " is negative");
    if (value[0] == 0) {
      value.remove_prefix(1);
      if (value.empty() || (static_cast<unsigned char>(value[0]) & 0x80) == 0) {
        fail(std::string(what) + " has a superfluous leading zero");
      }
    }
    return value;
  }

  void expect_end() const {
    if (!rest_.empty()) fail(std::to_string(rest_.size()) + " unexpected bytes after the key");
  }

  [[noreturn]] void fail(const std::string& detail) const {
    refuse("the " + std::string(type_) + " key data is malformed: " + detail);
  }

 private:
  std::string_view rest_;
  std::string_view type_;
};

unsigned bit_length(std::string_view magnitude) {
  return static_cast<unsigned>(magnitude.size() - 1) * 8 +
         static_cast<unsigned>(std::bit_width(static_cast<unsigned char>(magnitude[0])));
}

// RFC 4253 §6.6: e, then n; the size of the key is that of n.
unsigned read_rsa(BlobReader& reader) {
  reader.positive_mpint("the RSA exponent");
  const unsigned bits = bit_length(reader.positive_mpint("the RSA modulus"));
  if (bits < kMinRsaBits) {
    refuse("an RSA key of " + std::to_string(bits) + " bits is too small (sshd refuses keys under " +
           std::to_string(kMinRsaBits) + " bits)");
  }
  if (bits > kMaxRsaBits) {
    refuse("an RSA key of " + std::to_string(bits) + " bits is too large (OpenSSH reads at most " +
           std::to_string(kMaxRsaBits) + " bits)");
  }
  return bits;
}

// RFC 5656 §3.1: the curve name again, then the point, which OpenSSH writes and reads uncompressed
// (0x04, X, Y). Whether the point lies on the curve takes curve arithmetic, which is left to sshd.
void read_ecdsa(BlobReader& reader, const KeyType& type) {
  const std::string_view curve = reader.string("the curve name");
  if (curve != type.curve)
    reader.fail("the curve is " + quote_value(curve) + ", not " + std::string(type.curve));
  const std::string_view point = reader.string("the public point");
  if (point.size() != type.public_size || point[0] != 0x04) {
    reader.fail("the public point is not an uncompressed " + std::string(type.curve) + " point");
  }
}

// The body of the blob after its type string; returns the key size in bits.
unsigned read_key_body(BlobReader& reader, const KeyType& type) {
  unsigned bits = type.bits;
  if (type.kind == KeyKind::Rsa) {
    bits = read_rsa(reader);
  } else if (type.kind == KeyKind::Ecdsa || type.kind == KeyKind::EcdsaSk) {
    read_ecdsa(reader, type);
  } else if (reader.string("the public key").size() != type.public_size) {
    reader.fail("an Ed25519 public key has " + std::to_string(type.public_size) + " bytes");
  }
  // Security-key types end with the FIDO application (usually "ssh:"), a C string to OpenSSH.
  if (type.kind == KeyKind::Ed25519Sk || type.kind == KeyKind::EcdsaSk) {
    if (reader.string("the application").find('\0') != std::string_view::npos) {
      reader.fail("the application contains a NUL byte");
    }
  }
  reader.expect_end();
  return bits;
}

unsigned read_blob(std::string_view blob, const KeyType& type) {
  BlobReader reader(blob, type.name);
  const std::string_view inner = reader.string("the key type");
  if (inner != type.name) {
    const bool printable = find_key_type(inner) != nullptr || inner == "ssh-dss";
    refuse("the key data says " + (printable ? std::string(inner) : quote_value(inner)) +
           " but the line says " + std::string(type.name));
  }
  return read_key_body(reader, type);
}

// The code point of the UTF-8 sequence at text[i] (advancing i past it), or nothing when the bytes
// there are not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  const std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0 || lead > 0xF4 || i + extra > text.size()) return std::nullopt;
  char32_t code = lead & (0x3F >> extra);
  for (std::size_t k = 0; k < extra; ++k) {
    const auto next = static_cast<unsigned char>(text[i++]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = code << 6 | (next & 0x3F);
  }
  constexpr std::array<char32_t, 4> kSmallest = {0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  return code;
}

// The comment lands in authorized_keys, JSON output and terminals: it must stay one line of text.
void check_comment(std::string_view comment) {
  for (std::size_t i = 0; i < comment.size();) {
    const std::optional<char32_t> code = next_code_point(comment, i);
    if (!code) refuse("the comment is not valid UTF-8");
    if (*code < 0x20 || (*code >= 0x7F && *code <= 0x9F)) refuse("the comment contains a control character");
  }
}

}  // namespace

std::string ssh_key_fingerprint(std::string_view blob) {
  const Sha256Digest digest = sha256(blob);
  const std::string_view bytes(reinterpret_cast<const char*>(digest.data()), digest.size());
  return "SHA256:" + base64_encode(bytes, Base64Padding::Unpadded);
}

SshPublicKey parse_ssh_public_key(std::string_view line) {
  if (line.size() > kMaxLineLength)
    refuse("the line is longer than " + std::to_string(kMaxLineLength) + " bytes");
  line = trim(line);
  if (line.empty()) refuse("the line is empty");
  if (line.front() == '#') refuse("the line is a comment");
  std::string_view rest = line;
  const std::string_view type_field = next_field(rest);
  const KeyType* type = find_key_type(type_field);
  if (type == nullptr) refuse_type(type_field, line);
  const std::string_view data_field = next_field(rest);
  if (data_field.empty()) refuse("the key data is missing after " + std::string(type->name));
  SshPublicKey key;
  try {
    key.blob = base64_decode(data_field, Base64Padding::Padded);
  } catch (const Invalid& error) {
    refuse(std::string("the key data is ") + error.what());
  }
  key.bits = read_blob(key.blob, *type);
  key.comment = std::string(trim(rest));
  check_comment(key.comment);
  key.type = std::string(type->name);
  key.type_label = std::string(type->label);
  key.fingerprint = ssh_key_fingerprint(key.blob);
  // The blob re-encodes to data_field itself: the strict decoder accepts one encoding per blob.
  key.canonical_line = key.type + " " + base64_encode(key.blob);
  if (!key.comment.empty()) key.canonical_line += " " + key.comment;
  return key;
}

std::string ssh_keygen_listing(const SshPublicKey& key) {
  return std::to_string(key.bits) + " " + key.fingerprint + " " +
         (key.comment.empty() ? "no comment" : key.comment) + " (" + key.type_label + ")";
}

}  // namespace usersctl::util
