#include <gtest/gtest.h>

#include <string>

#include "util/base64.hpp"
#include "util/errors.hpp"
#include "util/ssh_public_key.hpp"

namespace usersctl::util {
namespace {

using namespace std::string_view_literals;

struct Fixture {
  std::string_view line;
  std::string_view keygen_listing;  // what `ssh-keygen -l -f` (OpenSSH 9.2p1) printed for the line
};

// Made with `ssh-keygen -t TYPE [-b BITS] -f /tmp/x -N '' -C COMMENT`. The two security-key lines
// have no hardware behind them: the ed25519 and nistp256 keys above, rewrapped in the sk-* wire
// format with application "ssh:"; ssh-keygen -l reads them like any .pub file.
constexpr Fixture kFixtures[] = {
    {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAz alice@laptop",
     "256 SHA256:nsCZqTZ7MUOg1CzPOvrSkVyzC8+hnpkw4kLGPLkJ4go alice@laptop (ED25519)"},
    {"ssh-rsa "
     "AAAAB3NzaC1yc2EAAAADAQABAAABgQDEg/"
     "u18NIIwRfAWT08impBnJy7NQ8sNgkUM44KkNzkWBcrzejHZklzqSFlQ2P5JulURb3ntBSWr+pWRJ7EOl"
     "VLgw02oe8m3x23uC4YRQi1U0+aJI8SeFxEu0uPKKXcJ3220c6+JZ4jA4L/BcAs+4tSW2pQvji6fTRkl6uC4VCdOMnY/"
     "5SyoYLlqLjPri6znpZSh3fw"
     "qF9DqAH7qZjlBPLlG5Y3Y3r4BB6Ipc+zbbR8a5LDLC7cNwy8RkCYFQ75hBoyPaKtSQ2RYtg/"
     "l+ZXunUQA+tOpbEdpkWaVLj2fldT7Mf/YQ2m5GbUSRL"
     "6IWTq7jolPKojk7Lj/VR3OqZaQwXmCbE/"
     "ouvBtjcmqsrlCtREagqityL2IzJx2B1Q6IJEq3d86qYC3OFctNLiB68xvIhahy92eRxft2vUgM8KCDwO9"
     "4VCwZ1Csi010WbSDsZr90a800HPTv4isKCg0TioL8puxU3KUrY2TRCoOwNFpu0ANJuon4+xABsZlZwSGL3JA9k= bob@build",
     "3072 SHA256:p55CAwsy7cjW+42udy2tXsVda7KTjpZ9N0Z+z2Otd+c bob@build (RSA)"},
    // -C '' leaves a trailing space, as in the .pub file.
    {"ssh-rsa "
     "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC5nuXQAnhWdDfHfUjyd0dyB6dZz1+jWIyyTlR0eW+skjmyVa2509N/"
     "NVjydzZBUMh6ohytt4AlSRGVo66IoE"
     "hemuxkcjHknz8FXKqj3yygy7bPUwPtPFT2taI/pKmVwc6yqyJUPbon28/+wIkmyOH7Lh9LD8I316azqhXVjlozrw== ",
     "1024 SHA256:K1+rxFO5ue1JojaCXXJUz//tkAjV8Cj9euf1iCl+O2Y no comment (RSA)"},
    // -b 2047: the modulus's first byte is 0x62, so the size is not a multiple of 8.
    {"ssh-rsa "
     "AAAAB3NzaC1yc2EAAAADAQABAAABAGL/"
     "uYDnSKyhjd3ClWn7QPfdwXFRoOtaKiyqYnXXcog4A92BcnT0sgoXEHYaCsykTdzC7030XNBNBIFBPttii2"
     "3E+B7AHjJV2TNsFtugQxEMiLZIJUeSUOAF8cPeGyevOyUlGGkthhAuf1ZM6S5DG3+4P54KXHHvevZGSFj7CW/"
     "PtGoTWtLNyhnwzPCdSlkkFNi9Kz8/"
     "TAXB5pugKFYAN8t2w+X5OE+"
     "brhmMoeegE5cxGAMPZ78TkbjI7CYMFJrZJ9tckJU52gCoAzDQLmy0LZd78v198V1gf1pAZ1hyi58qKdQe4mgzj1EQFD"
     "kQeZcDpuMCLLqo6LcBY9x0OoEbwBk= odd size",
     "2047 SHA256:gvGMgwKnO54G9v4FtHTIbjAz0NQjrmh2cRUmFsfHok0 odd size (RSA)"},
    {"ecdsa-sha2-nistp256 "
     "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCP3n/X3N/"
     "5o3OtkYNpkNqogowmtG2pYBH7yWgeloaumz7ZGHWtfih1MefZY3M"
     "JreZ1Z/WpXOhrfLcQ2vjqBdq0= carol",
     "256 SHA256:aqTnS4wqqlNhAokRZWJ0vboiIUFvmfpevMXx1Ym7Qo8 carol (ECDSA)"},
    {"ecdsa-sha2-nistp384 "
     "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBHj4ZsZ0uJxTkniWcvRLfwSaD93jIlIp+"
     "pKwnSxHEQsKpLbxFtsmgLJWHtsiGu"
     "GYanb9z9qSje6aJmaMlBt6hGni5TwQkaNqRIG3B9S8+AzO3lB7l1yd0/Q+aX+BrK4lkg== dave with spaces",
     "384 SHA256:unkuJ2oL0LmaVKkqqkQ2yvfvjd8ztD/hW42g3zp5KtE dave with spaces (ECDSA)"},
    {"ecdsa-sha2-nistp521 "
     "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAE09p5BeGWw9mA49Ol6bjq7k7eRuLNROHFA46iGAsYatbG505e"
     "aG3bJJNOdR3"
     "lr8IdEQrcWe67r/lCbIaVYf3Y2lQG8VGA6ClOlZYMScAw85FiBdvsBxlpY4aw8AeWhOV9/"
     "79ENrebMB6oBZ5Ou1TgXQreMjUlzFWT3a281xYcoCKcY"
     "bA== eve",
     "521 SHA256:MgN/RUoHDEcqdrYnMhcKJGrSko4VrcNqCK6NP4XOnpc eve (ECDSA)"},
    {"sk-ssh-ed25519@openssh.com "
     "AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAzAAAABHNzaDo= "
     "frank@yubikey",
     "256 SHA256:IgTRbmh3dAqN3PFtaaq0jfcCB1n8mYP2d6nLgI0N6Z0 frank@yubikey (ED25519-SK)"},
    {"sk-ecdsa-sha2-nistp256@openssh.com "
     "AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBCP3n/X3N/"
     "5o3OtkYNpkNqogowmtG2pYBH7yWgeloa"
     "umz7ZGHWtfih1MefZY3MJreZ1Z/WpXOhrfLcQ2vjqBdq0AAAAEc3NoOg== grace@token",
     "256 SHA256:yfRbIlnls5Rf0pk1xcl0Fu38tzYxLutFEDQr1c1ydxQ grace@token (ECDSA-SK)"},
};

constexpr std::string_view kEd25519 = kFixtures[0].line;

// The second field of a line: the base64 key data.
std::string data_of(std::string_view line) {
  const std::size_t start = line.find(' ') + 1;
  return std::string(line.substr(start, line.find(' ', start) - start));
}

std::string error_of(std::string_view line) {
  try {
    parse_ssh_public_key(line);
  } catch (const Invalid& error) {
    return error.what();
  }
  return "(accepted)";
}

// RFC 4251 "string": a 32-bit big-endian length, then the bytes.
std::string wire(std::string_view bytes) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  std::string out = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                     static_cast<char>(n)};
  return out.append(bytes);
}

std::string line_of(std::string_view type, std::string_view blob) {
  return std::string(type) + " " + base64_encode(blob) + " test";
}

// An RSA modulus of the given size: top bit set, so it needs the 0x00 sign byte.
std::string rsa_blob(unsigned bits) {
  std::string modulus(1, '\0');
  modulus += static_cast<char>(0x80);
  modulus.append(bits / 8 - 1, '\x5a');
  return wire("ssh-rsa") + wire("\x01\x00\x01"sv) + wire(modulus);
}

TEST(UtilSshPublicKey, MatchesSshKeygenOnRealKeys) {
  for (const Fixture& fixture : kFixtures) {
    const SshPublicKey key = parse_ssh_public_key(fixture.line);
    EXPECT_EQ(ssh_keygen_listing(key), fixture.keygen_listing);
    // A .pub file's line is already canonical (less the trailing space an empty -C leaves).
    std::string_view expected_line = fixture.line;
    if (expected_line.ends_with(' ')) expected_line.remove_suffix(1);
    EXPECT_EQ(key.canonical_line, expected_line);
    EXPECT_EQ(key.fingerprint, ssh_key_fingerprint(key.blob));
  }
}

TEST(UtilSshPublicKey, FillsEveryField) {
  const SshPublicKey key = parse_ssh_public_key(kEd25519);
  EXPECT_EQ(key.type, "ssh-ed25519");
  EXPECT_EQ(key.blob, base64_decode(data_of(kEd25519)));
  EXPECT_EQ(key.blob.size(), 51u);  // "ssh-ed25519" and the 32-byte key, each with its length
  EXPECT_EQ(key.comment, "alice@laptop");
  EXPECT_EQ(key.bits, 256u);
  EXPECT_EQ(key.fingerprint, "SHA256:nsCZqTZ7MUOg1CzPOvrSkVyzC8+hnpkw4kLGPLkJ4go");
  EXPECT_EQ(key.type_label, "ED25519");
  EXPECT_EQ(key.canonical_line, kEd25519);

  const SshPublicKey rsa = parse_ssh_public_key(kFixtures[1].line);
  EXPECT_EQ(rsa.bits, 3072u);
  EXPECT_EQ(rsa.type_label, "RSA");
  EXPECT_EQ(parse_ssh_public_key(kFixtures[6].line).bits, 521u);
  EXPECT_EQ(parse_ssh_public_key(kFixtures[8].line).type, "sk-ecdsa-sha2-nistp256@openssh.com");
}

TEST(UtilSshPublicKey, ToleratesSurroundingBlanksAndACarriageReturn) {
  const std::string data(data_of(kEd25519));
  for (const std::string& line :
       {" \tssh-ed25519 " + data + " alice@laptop \t", "ssh-ed25519 " + data + " alice@laptop\r",
        "ssh-ed25519 " + data + " alice@laptop\r\n", "ssh-ed25519\t\t" + data + "  alice@laptop"}) {
    EXPECT_EQ(parse_ssh_public_key(line).canonical_line, kEd25519) << line;
  }
  const SshPublicKey bare = parse_ssh_public_key("ssh-ed25519 " + data + "\r");
  EXPECT_EQ(bare.comment, "");
  EXPECT_EQ(bare.canonical_line, "ssh-ed25519 " + data);
  EXPECT_EQ(ssh_keygen_listing(bare),
            "256 SHA256:nsCZqTZ7MUOg1CzPOvrSkVyzC8+hnpkw4kLGPLkJ4go no comment (ED25519)");
  // Inside the comment, spaces are the user's text.
  EXPECT_EQ(parse_ssh_public_key("ssh-ed25519 " + data + " a  b").comment, "a  b");
  EXPECT_EQ(parse_ssh_public_key("ssh-ed25519 " + data + " zo\xc3\xab \xe2\x9c\x93").comment,
            "zo\xc3\xab \xe2\x9c\x93");
}

TEST(UtilSshPublicKey, RefusesWhatIsNotAKeyLine) {
  EXPECT_EQ(error_of(""), "not an SSH public key: the line is empty");
  EXPECT_EQ(error_of(" \t\r\n"), "not an SSH public key: the line is empty");
  EXPECT_EQ(error_of("# ssh-ed25519 " + data_of(kEd25519)), "not an SSH public key: the line is a comment");
  EXPECT_EQ(error_of("foo AAAA"), "not an SSH public key: unknown key type 'foo'");
  EXPECT_EQ(error_of("ssh-ed25519"), "not an SSH public key: the key data is missing after ssh-ed25519");
  EXPECT_EQ(error_of("ssh-ed25519   \r"), "not an SSH public key: the key data is missing after ssh-ed25519");
  EXPECT_EQ(error_of(std::string(60, 'x') + "\x1b AAAA"),
            "not an SSH public key: unknown key type '" + std::string(40, 'x') + "...'");
  EXPECT_EQ(error_of(std::string(20000, 'A')), "not an SSH public key: the line is longer than 16384 bytes");
}

TEST(UtilSshPublicKey, RefusesOptionsBeforeTheType) {
  const std::string key(kEd25519);
  for (const std::string& line :
       {"from=\"10.0.0.0/8\" " + key, "no-pty " + key, "restrict " + key, "command=\"echo hi there\" " + key,
        "restrict,command=\"uptime\" " + key, "environment=\"A=B\" " + key, "\"quoted\" " + key}) {
    EXPECT_EQ(error_of(line), "not an SSH public key: options before the key type are not accepted") << line;
  }
}

TEST(UtilSshPublicKey, RefusesDsaCertificatesAndOtherFormats) {
  EXPECT_EQ(error_of("ssh-dss AAAAB3NzaC1kc3MAAACBAP== old"),
            "not an SSH public key: ssh-dss (DSA) keys are obsolete and OpenSSH no longer accepts them");
  EXPECT_EQ(error_of("ssh-ed25519-cert-v01@openssh.com AAAA user"),
            "not an SSH public key: 'ssh-ed25519-cert-v01@openssh.com' is a certificate; give the plain "
            "public key");
  EXPECT_EQ(error_of("-----BEGIN OPENSSH PRIVATE KEY-----"),
            "not an SSH public key: this is a private key, which must stay secret; give the public key (the "
            ".pub file)");
  EXPECT_EQ(error_of("---- BEGIN SSH2 PUBLIC KEY ----"),
            "not an SSH public key: this is the RFC 4716 format; convert it with ssh-keygen -i -f FILE");
}

TEST(UtilSshPublicKey, RefusesKeyDataThatIsNotBase64) {
  const std::string data(data_of(kEd25519));
  EXPECT_EQ(error_of("ssh-ed25519 " + data.substr(0, 20) + "*" + data.substr(21)),
            "not an SSH public key: the key data is not valid base64: unexpected character at offset 20");
  EXPECT_EQ(error_of("ssh-ed25519 " + data.substr(1)),
            "not an SSH public key: the key data is not valid base64: the length is not a multiple of 4");
}

TEST(UtilSshPublicKey, RefusesATypeTheKeyDataContradicts) {
  const std::string rsa_data = data_of(kFixtures[1].line);
  EXPECT_EQ(error_of("ssh-ed25519 " + rsa_data + " bob@build"),
            "not an SSH public key: the key data says ssh-rsa but the line says ssh-ed25519");
  EXPECT_EQ(
      error_of("ecdsa-sha2-nistp384 " + data_of(kFixtures[4].line)),
      "not an SSH public key: the key data says ecdsa-sha2-nistp256 but the line says ecdsa-sha2-nistp384");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", wire("bar\x01") + wire(std::string(32, 'k')))),
            "not an SSH public key: the key data says 'bar?' but the line says ssh-ed25519");
}

TEST(UtilSshPublicKey, RefusesMalformedEd25519Data) {
  const std::string prefix = "not an SSH public key: the ssh-ed25519 key data is malformed: ";
  const std::string type = wire("ssh-ed25519");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", "")), prefix + "the key type is missing");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", type)), prefix + "the public key is missing");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", type + wire(std::string(31, 'k')))),
            prefix + "an Ed25519 public key has 32 bytes");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", type + wire(std::string(32, 'k')).substr(0, 20))),
            prefix + "the public key is cut short");
  EXPECT_EQ(error_of(line_of("ssh-ed25519", type + wire(std::string(32, 'k')) + "xy")),
            prefix + "2 unexpected bytes after the key");
  EXPECT_EQ(parse_ssh_public_key(line_of("ssh-ed25519", type + wire(std::string(32, 'k')))).bits, 256u);
}

TEST(UtilSshPublicKey, ReadsAndChecksRsaModuli) {
  EXPECT_EQ(parse_ssh_public_key(line_of("ssh-rsa", rsa_blob(2048))).bits, 2048u);
  EXPECT_EQ(parse_ssh_public_key(line_of("ssh-rsa", rsa_blob(16384))).bits, 16384u);
  EXPECT_EQ(error_of(line_of("ssh-rsa", rsa_blob(512))),
            "not an SSH public key: an RSA key of 512 bits is too small (sshd refuses keys under 1024 bits)");
  EXPECT_EQ(
      error_of(line_of("ssh-rsa", rsa_blob(16392))),
      "not an SSH public key: an RSA key of 16392 bits is too large (OpenSSH reads at most 16384 bits)");
  const std::string prefix = "not an SSH public key: the ssh-rsa key data is malformed: ";
  const std::string type_and_e = wire("ssh-rsa") + wire("\x01\x00\x01"sv);
  EXPECT_EQ(error_of(line_of("ssh-rsa", wire("ssh-rsa"))), prefix + "the RSA exponent is missing");
  EXPECT_EQ(error_of(line_of("ssh-rsa", type_and_e)), prefix + "the RSA modulus is missing");
  EXPECT_EQ(error_of(line_of("ssh-rsa", type_and_e + wire(""))), prefix + "the RSA modulus is zero");
  EXPECT_EQ(error_of(line_of("ssh-rsa", type_and_e + wire("\x80" + std::string(255, 'z')))),
            prefix + "the RSA modulus is negative");
  EXPECT_EQ(error_of(line_of("ssh-rsa", type_and_e + wire(std::string(2, '\0') + std::string(256, 'z')))),
            prefix + "the RSA modulus has a superfluous leading zero");
  EXPECT_EQ(error_of(line_of("ssh-rsa", wire("ssh-rsa") + wire("\x81") +
                                            wire(std::string("\x00\x80"sv) + std::string(255, 'z')))),
            prefix + "the RSA exponent is negative");
  EXPECT_EQ(error_of(line_of("ssh-rsa", rsa_blob(2048) + wire("extra"))),
            prefix + "9 unexpected bytes after the key");
}

TEST(UtilSshPublicKey, ChecksTheEcdsaCurveAndPoint) {
  const std::string prefix = "not an SSH public key: the ecdsa-sha2-nistp256 key data is malformed: ";
  const std::string type = wire("ecdsa-sha2-nistp256");
  const std::string point = "\x04" + std::string(64, 'p');
  EXPECT_EQ(parse_ssh_public_key(line_of("ecdsa-sha2-nistp256", type + wire("nistp256") + wire(point))).bits,
            256u);
  EXPECT_EQ(error_of(line_of("ecdsa-sha2-nistp256", type + wire("nistp384") + wire(point))),
            prefix + "the curve is 'nistp384', not nistp256");
  EXPECT_EQ(
      error_of(line_of("ecdsa-sha2-nistp256", type + wire("nistp256") + wire("\x02" + std::string(32, 'p')))),
      prefix + "the public point is not an uncompressed nistp256 point");
  EXPECT_EQ(error_of(line_of("ecdsa-sha2-nistp256", type + wire("nistp256") + wire(point + "p"))),
            prefix + "the public point is not an uncompressed nistp256 point");
  EXPECT_EQ(error_of(line_of("ecdsa-sha2-nistp256", type + wire("nistp256"))),
            prefix + "the public point is missing");
}

TEST(UtilSshPublicKey, SecurityKeysNeedTheirApplication) {
  const std::string type = wire("sk-ssh-ed25519@openssh.com");
  const std::string key = wire(std::string(32, 'k'));
  const std::string prefix = "not an SSH public key: the sk-ssh-ed25519@openssh.com key data is malformed: ";
  EXPECT_EQ(error_of(line_of("sk-ssh-ed25519@openssh.com", type + key)),
            prefix + "the application is missing");
  EXPECT_EQ(error_of(line_of("sk-ssh-ed25519@openssh.com", type + key + wire(std::string("ss\0h:", 5)))),
            prefix + "the application contains a NUL byte");
  EXPECT_EQ(ssh_keygen_listing(
                parse_ssh_public_key(line_of("sk-ssh-ed25519@openssh.com", type + key + wire("ssh:"))))
                .substr(0, 4),
            "256 ");
}

TEST(UtilSshPublicKey, RefusesControlCharactersInTheComment) {
  const std::string start = "ssh-ed25519 " + data_of(kEd25519) + " ";
  for (const std::string_view bad : {"a\tb", "a\x1b[31mb", "a\x7f", "a\rb", "a\nb", "a\xc2\x85 b"}) {
    EXPECT_EQ(error_of(start + std::string(bad)),
              "not an SSH public key: the comment contains a control character")
        << bad;
  }
  for (const std::string_view bad :
       {"caf\xe9", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe2\x9c"}) {
    EXPECT_EQ(error_of(start + std::string(bad)), "not an SSH public key: the comment is not valid UTF-8")
        << bad;
  }
}

TEST(UtilSshPublicKey, MessagesNeverRepeatTheKeyData) {
  const std::string data(data_of(kEd25519));
  for (const std::string& line : {"no-pty " + std::string(kEd25519), "ssh-rsa " + data,
                                  "ssh-ed25519 " + data + "!", "ssh-ed25519 " + data + " \x01"}) {
    const std::string message = error_of(line);
    EXPECT_EQ(message.rfind("not an SSH public key: ", 0), 0u) << message;
    EXPECT_EQ(message.find(data.substr(0, 16)), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace usersctl::util
