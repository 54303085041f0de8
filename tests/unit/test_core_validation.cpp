#include <gtest/gtest.h>

#include "core/validation.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;
using namespace usersctl::model;

namespace {

ExitCode code_of(const std::function<void()>& check) {
  try {
    check();
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::Ok;
}

}  // namespace

TEST(Validation, AcceptsPortableNames) {
  for (const char* name :
       {"alice", "_svc", "a", "web-01", "build_bot", "machine$", "a0123456789012345678901234567890"}) {
    EXPECT_NO_THROW(validate_name(name, "user name")) << name;
  }
}

TEST(Validation, RejectsNamesOutsideTheShadowRule) {
  const std::string too_long(33, 'a');
  for (const std::string& name :
       {std::string(), std::string("Alice"), std::string("1abc"), std::string("-rf"), std::string("a b"),
        std::string("bad\nname"), std::string("a$b"), std::string("tab\tname"), std::string("ü"), too_long,
        std::string("a\0b", 3)}) {
    EXPECT_EQ(code_of([&] { validate_name(name, "user name"); }), ExitCode::Invalid) << name;
  }
}

TEST(Validation, NameErrorsEscapeControlBytes) {
  try {
    validate_name("bad\nname", "user name");
    FAIL() << "expected Invalid";
  } catch (const Invalid& error) {
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("\\x0a"), std::string::npos);
  }
}

TEST(Validation, Emails) {
  for (const char* ok : {"alice@example.com", "a.b+tag@sub.example.org", "ü@exämple.de", "x@a-b.io"}) {
    EXPECT_NO_THROW(validate_email(ok)) << ok;
  }
  for (const char* bad : {"", "alice", "alice@", "@example.com", "a@b", "a@@b.com", "a b@c.com", "a..b@c.com",
                          ".a@c.com", "a@-c.com", "a@c..com", "a@c.com\n", "a\x01@c.com"}) {
    EXPECT_EQ(code_of([&] { validate_email(bad); }), ExitCode::Invalid) << bad;
  }
}

TEST(Validation, DisplayNames) {
  EXPECT_NO_THROW(validate_display_name("Zoë Müller"));
  EXPECT_NO_THROW(validate_display_name("李雷"));
  EXPECT_NO_THROW(validate_display_name(""));
  EXPECT_NO_THROW(validate_display_name(std::string(256 * 2 / 2, 'x')));
  for (const std::string& bad :
       {std::string("a:b"), std::string("line\nbreak"), std::string("del\x7f"), std::string("c1\xc2\x85"),
        std::string("bad\xff"), std::string(257, 'x'), std::string("nul\0x", 5)}) {
    EXPECT_EQ(code_of([&] { validate_display_name(bad); }), ExitCode::Invalid) << bad;
  }
}

TEST(Validation, DisplayNameLengthCountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 256; ++i) name += "ü";  // 512 bytes, 256 characters
  EXPECT_NO_THROW(validate_display_name(name));
  name += "ü";
  EXPECT_THROW(validate_display_name(name), Invalid);
}

TEST(Validation, Attributes) {
  EXPECT_NO_THROW(validate_attrs({{"team", "ops"}, {"cost.center", "42"}, {"x-y_z", ""}}));
  EXPECT_THROW(validate_attr_key(""), Invalid);
  EXPECT_THROW(validate_attr_key("has space"), Invalid);
  EXPECT_THROW(validate_attr_key("k=v"), Invalid);
  EXPECT_THROW(validate_attr_key(std::string(65, 'k')), Invalid);
  EXPECT_THROW(validate_attr_value("k", "line\nbreak"), Invalid);
  EXPECT_THROW(validate_attr_value("k", std::string(kMaxAttrValueBytes + 1, 'v')), Invalid);
  Attributes many;
  for (std::size_t i = 0; i <= kMaxAttrsPerUser; ++i) many["k" + std::to_string(i)] = "v";
  EXPECT_THROW(validate_attrs(many), Invalid);
}

TEST(Validation, HomeAndShellFieldsCannotBreakThePasswdFormat) {
  EXPECT_NO_THROW(validate_attrs({{"home", "/srv/home/alice"}, {"shell", "/bin/zsh"}, {"note", "a:b"}}));
  EXPECT_NO_THROW(validate_attr_value("home", "/home/a:0:0")) << "an attribute, not the home field";
  EXPECT_NO_THROW(validate_path("/home/alice", "home"));
  const std::vector<std::string> paths{"",          "home/alice", "/home/a:0:0",
                                       "/bin/sh\n", "/a\x01b",    "/" + std::string(4096, 'a')};
  for (const auto& path : paths) {
    EXPECT_THROW(validate_path(path, "home"), Invalid) << path;
  }
}

TEST(Validation, Ids) {
  EXPECT_NO_THROW(validate_id(0, "uid"));
  EXPECT_NO_THROW(validate_id(kMaxId, "uid"));
  EXPECT_THROW(validate_id(-1, "uid"), Invalid);
  EXPECT_THROW(validate_id(kMaxId + 1, "uid"), Invalid);
}

// Invisible format characters (Unicode Cf) make look-alike addresses and names: refused.
TEST(Validation, FormatCharactersAreRefusedInEmailsAndNames) {
  for (const char* cf : {"\u200b", "\u200d", "\u200f", "\u202a", "\u202e", "\u2060", "\u2064", "\u2066",
                         "\u2069", "\ufeff", "\u00ad", "\u061c", "\U000e0001"}) {
    const std::string email = std::string("ali") + cf + "ce@example.com";
    EXPECT_EQ(code_of([&] { validate_email(email); }), ExitCode::Invalid) << email;
    const std::string name = std::string("Ali") + cf + "ce";
    EXPECT_EQ(code_of([&] { validate_display_name(name); }), ExitCode::Invalid) << name;
    EXPECT_EQ(code_of([&] { validate_name(std::string("alice") + cf, "user name"); }), ExitCode::Invalid);
  }
  try {
    validate_email("a\u202e@example.com");
    ADD_FAILURE() << "accepted";
  } catch (const Invalid& error) {
    EXPECT_NE(std::string(error.what()).find("U+202E"), std::string::npos) << error.what();
  }
  EXPECT_NO_THROW(validate_display_name("Zoë Müller-Lüdenscheidt"));
}
