// The one URL redaction of every message (issue 20): database URLs, libpq keyword strings and
// webhook URLs.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/url_redaction.hpp"

using usersctl::util::redact_url;
using usersctl::util::scrub_secrets;
using usersctl::util::url_secrets;

TEST(UrlRedaction, MasksTheUserinfoPassword) {
  EXPECT_EQ(redact_url("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_url("postgresql://u:@h/db"), "postgresql://u:@h/db");
  EXPECT_EQ(redact_url("postgresql://u:p%40ss@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redact_url("postgresql://u:pw@h1:5432,h2:5433/db"), "postgresql://u:***@h1:5432,h2:5433/db");
  EXPECT_EQ(redact_url("postgresql://u:pw@[::1]:5432/db"), "postgresql://u:***@[::1]:5432/db");
  EXPECT_EQ(redact_url("postgresql://u:pw@h"), "postgresql://u:***@h");
  EXPECT_EQ(redact_url("/path/with:colon@at.db"), "/path/with:colon@at.db");
  EXPECT_EQ(redact_url("sqlite:/tmp/u.db"), "sqlite:/tmp/u.db");
}

// libpq takes a raw '?', '#' or '@' in the password; the userinfo ends at the last '@' before the host.
TEST(UrlRedaction, PasswordsWithRawDelimiters) {
  EXPECT_EQ(redact_url("postgresql://u:pa?ss#x@host/db"), "postgresql://u:***@host/db");
  EXPECT_EQ(redact_url("postgresql://u:pa#ss@host/db"), "postgresql://u:***@host/db");
  EXPECT_EQ(redact_url("postgresql://u:pa?ss@host"), "postgresql://u:***@host");
  EXPECT_EQ(redact_url("postgresql://u:p@ss@host:5432/db"), "postgresql://u:***@host:5432/db");
  EXPECT_EQ(redact_url("postgresql://u:a?password=b@host/db?sslmode=require"),
            "postgresql://u:***@host/db?sslmode=require");
  EXPECT_EQ(redact_url("postgresql://u:p?ss@host?sslmode=require&password=q"),
            "postgresql://u:***@host?sslmode=require&password=***");
  EXPECT_EQ(redact_url("https://bot:to#k?en@hooks.example.com/in"), "https://bot:***@hooks.example.com/in");
}

TEST(UrlRedaction, AtSignsInTheQueryAreNoUserinfo) {
  EXPECT_EQ(redact_url("https://h.example/in?email=a@b.example&token=t"),
            "https://h.example/in?email=a@b.example&token=***");
  EXPECT_EQ(redact_url("https://h.example?email=a@b&token=t"), "https://h.example?email=a@b&token=***");
  EXPECT_EQ(redact_url("postgresql:///db?host=/run/pg&user=a@b"), "postgresql:///db?host=/run/pg&user=a@b");
}

TEST(UrlRedaction, MasksSecretQueryParameters) {
  EXPECT_EQ(redact_url("postgresql://u@h/db?password=secret"), "postgresql://u@h/db?password=***");
  EXPECT_EQ(redact_url("postgresql://u@h/db?sslmode=require&password=s3&application_name=x"),
            "postgresql://u@h/db?sslmode=require&password=***&application_name=x");
  EXPECT_EQ(redact_url("postgresql://u:one@h/db?password=two"), "postgresql://u:***@h/db?password=***");
  EXPECT_EQ(redact_url("postgresql:///db?host=/run/pg&password=p&password=q"),
            "postgresql:///db?host=/run/pg&password=***&password=***");
  EXPECT_EQ(redact_url("postgresql://h/db?sslpassword=k&sslkey=/etc/k.pem"),
            "postgresql://h/db?sslpassword=***&sslkey=/etc/k.pem");
  // Not a secret's name, and not a fragment.
  EXPECT_EQ(redact_url("postgresql://h/db?passwordfile=x&mypassword=y"),
            "postgresql://h/db?passwordfile=x&mypassword=y");
  EXPECT_EQ(redact_url("postgresql://h/db?password=p#password=q"),
            "postgresql://h/db?password=***#password=q");
  EXPECT_EQ(redact_url("https://h/in?token=abc&access_token=d&api_key=e&X-Amz-Signature=f&sig=g&v=1"),
            "https://h/in?token=***&access_token=***&api_key=***&X-Amz-Signature=***&sig=***&v=1");
  EXPECT_EQ(redact_url("https://h/in?Token=abc&client_secret=s&page=2"),
            "https://h/in?Token=***&client_secret=***&page=2");
  EXPECT_EQ(redact_url("https://h/in?token=&flag"), "https://h/in?token=&flag");
}

TEST(UrlRedaction, MasksLibpqKeywordStrings) {
  EXPECT_EQ(redact_url("host=h password=secret dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(redact_url("host=h password = 'it\\'s a secret' dbname=d"), "host=h password = *** dbname=d");
  EXPECT_EQ(redact_url("password=p sslpassword=q"), "password=*** sslpassword=***");
  EXPECT_EQ(redact_url("dbname=d user=u"), "dbname=d user=u");
}

TEST(UrlRedaction, SecretsAreTheValuesAsWrittenAndDecoded) {
  EXPECT_EQ(url_secrets("postgresql://u@h/db"), std::vector<std::string>{});
  EXPECT_EQ(url_secrets("postgresql://u:p%40ss@h/db?password=two"),
            (std::vector<std::string>{"p%40ss", "p@ss", "two"}));
  EXPECT_EQ(url_secrets("postgresql://u:pa?ss#x@host/db"), std::vector<std::string>{"pa?ss#x"});
  EXPECT_EQ(url_secrets("host=h password='a b'"), std::vector<std::string>{"a b"});
  // libpq reads "u:p@ss@h" as the host "ss@h" and names it in its errors.
  EXPECT_EQ(url_secrets("postgresql://u:p@ss@h/db"), (std::vector<std::string>{"p@ss", "ss@"}));
  EXPECT_EQ(url_secrets("/plain/path.db"), std::vector<std::string>{});
}

TEST(UrlRedaction, ScrubsEverySecretFromAMessage) {
  EXPECT_EQ(scrub_secrets("bad port in u:pw@h:x and pw again", {"pw"}),
            "bad port in u:***@h:x and *** again");
  EXPECT_EQ(scrub_secrets("nothing", {""}), "nothing");
}
