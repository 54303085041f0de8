// LDIF (RFC 2849) value rules, folding, the entry reader, and the shadow line.

#include <gtest/gtest.h>

#include <sstream>

#include "core/account_expiry.hpp"
#include "core/ldif_reader.hpp"
#include "core/ldif_value.hpp"
#include "core/ldif_writer.hpp"
#include "core/shadow_format.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {
namespace {

TEST(LdifValue, SafeStringsStayPlainOthersGoBase64) {
  EXPECT_TRUE(ldif_safe_value("alice"));
  EXPECT_TRUE(ldif_safe_value("a=b,c: d"));
  EXPECT_TRUE(ldif_safe_value(""));
  EXPECT_FALSE(ldif_safe_value(" leading space"));
  EXPECT_FALSE(ldif_safe_value(":colon first"));
  EXPECT_FALSE(ldif_safe_value("<less than first"));
  EXPECT_FALSE(ldif_safe_value("trailing space "));
  EXPECT_FALSE(ldif_safe_value("new\nline"));
  EXPECT_FALSE(ldif_safe_value("cr\r"));
  EXPECT_FALSE(ldif_safe_value(std::string("nul\0x", 5)));
  EXPECT_FALSE(ldif_safe_value("Müller"));
  EXPECT_EQ(ldif_attribute("cn", "Müller"), "cn:: TcO8bGxlcg==\n");
  EXPECT_EQ(ldif_attribute("cn", "a=b"), "cn: a=b\n");
}

TEST(LdifValue, FoldsAtSeventySixColumns) {
  const std::string value(200, 'x');
  const std::string folded = ldif_attribute("description", value);
  std::istringstream lines(folded);
  std::string line, joined;
  bool first = true;
  while (std::getline(lines, line)) {
    EXPECT_LE(line.size(), 76u);
    if (!first) {
      ASSERT_EQ(line.front(), ' ');
      line.erase(0, 1);
    }
    joined += line;
    first = false;
  }
  EXPECT_EQ(joined, "description: " + value);
  EXPECT_EQ(ldif_fold(std::string(76, 'a')), std::string(76, 'a') + "\n");
  EXPECT_EQ(ldif_fold(std::string(77, 'a')), std::string(76, 'a') + "\n a\n");
}

TEST(LdifReader, JoinsFoldsDecodesAndSkipsComments) {
  std::istringstream in(
      "version: 1\n# a comment\n  folded into it\ndn: uid=a,dc=x\ncn:: TcO8\n bGxlcg==\n"
      "descr\n iption;lang-en: one\n two\n\n\ndn: cn=g,dc=x\nCN: g\n");
  LdifReader reader(in, "t");
  LdifEntry entry;
  ASSERT_TRUE(reader.next(entry));
  EXPECT_EQ(entry.dn, "uid=a,dc=x");
  EXPECT_EQ(entry.line, 4u);
  ASSERT_EQ(entry.attributes.size(), 2u);
  EXPECT_EQ(entry.attributes[0].name, "cn");
  EXPECT_EQ(entry.attributes[0].value, "Müller");
  EXPECT_EQ(entry.attributes[1].name, "description");
  EXPECT_EQ(entry.attributes[1].value, "onetwo");
  ASSERT_TRUE(reader.next(entry));
  EXPECT_EQ(entry.attributes[0].name, "cn");
  EXPECT_FALSE(reader.next(entry));
}

TEST(LdifReader, BadEntriesNameTheirLineAndTheNextEntryStillReads) {
  std::istringstream in("dn: a\ncn:: %%%\n\ndn: b\ncn: ok\n\ndn: a\n\ndn: c\nx:< file:///etc/shadow\n");
  LdifReader reader(in, "t");
  LdifEntry entry;
  try {
    reader.next(entry);
    FAIL();
  } catch (const LineError& error) {
    EXPECT_EQ(error.line, 2u);
  }
  ASSERT_TRUE(reader.next(entry));
  EXPECT_EQ(entry.dn, "b");
  try {
    reader.next(entry);
    FAIL();
  } catch (const LineError& error) {
    EXPECT_EQ(error.line, 7u);  // a duplicate of line 1
    EXPECT_NE(std::string(error.what()).find("duplicate"), std::string::npos);
  }
  EXPECT_THROW(reader.next(entry), LineError);  // URLs are not read
  EXPECT_FALSE(reader.next(entry));
}

TEST(LdifWriter, RefusesControlCharactersInTheBaseDn) {
  EXPECT_THROW(LdifWriter("dc=x\ndn: cn=admin", false), Invalid);
  EXPECT_THROW(LdifWriter("", false), Invalid);
}

TEST(ShadowFormat, LinesForEachPasswordState) {
  model::User user;
  user.username = "alice";
  user.updated_at = "2024-05-01T10:00:00Z";
  EXPECT_EQ(shadow_line(user, std::string("$y$j9T$a$b")), "alice:$y$j9T$a$b:19844::::::");
  EXPECT_EQ(shadow_line(user, std::nullopt), "alice:*:19844::::::");
  user.disabled = true;
  EXPECT_EQ(shadow_line(user, std::string("$y$h")), "alice:!$y$h:19844::::::");
  EXPECT_EQ(shadow_line(user, std::nullopt), "alice:!*:19844::::::");
  EXPECT_EQ(epoch_day("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(epoch_day("garbage"), std::nullopt);
}

// A day count read back (import --shadow's expire, LDIF's shadowExpire) is that day's start, and
// one no stored date can hold is refused instead of overflowing into another date.
TEST(ShadowFormat, DayStartIsTheInverseOfTheExpiryDay) {
  EXPECT_EQ(day_start(22341), "2031-03-03T00:00:00.000Z");
  model::User user;
  user.expires_at = day_start(22341);
  EXPECT_EQ(account_expiry_day(user), 22341);
  EXPECT_EQ(day_start(2932896), "9999-12-31T00:00:00.000Z");
  EXPECT_THROW(day_start(2932897), Invalid);
  EXPECT_THROW(day_start(99999999999999), Invalid);
  EXPECT_THROW(day_start(-1), Invalid);
}

}  // namespace
}  // namespace usersctl::core
