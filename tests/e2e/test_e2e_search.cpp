// search and list paging, checked against a brute-force filter over the same data.

#include <algorithm>
#include <set>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class SearchTest : public E2eTest {
 protected:
  struct Person {
    std::string username, name, email, team;
  };

  // A small directory with overlapping fragments, mixed case and accents.
  void populate() {
    const std::vector<std::string> first = {"Anna", "Bernd", "Chloé", "Dmitri", "Émile", "Fatima"};
    const std::vector<std::string> last = {"Müller", "MÜLLER-Lüdenscheid", "Synthe", "Okafor", "García"};
    for (int i = 0; i < 30; ++i) {
      Person p;
      p.username = (i % 3 == 0 ? "mull" : "user") + std::to_string(i);
      p.name = first[i % first.size()] + " " + last[i % last.size()];
      p.email = "p" + std::to_string(i) + (i % 4 == 0 ? "@Mueller.example.org" : "@example.com");
      p.team = i % 5 == 0 ? "Müllabfuhr" : "ops";
      add_user(p.username, {"--name", p.name, "--email", p.email, "--attr", "team=" + p.team, "-q"});
      people.push_back(p);
    }
    add_user("mull", {"--name", "Exact Match", "-q"});
    people.push_back({"mull", "Exact Match", "", ""});
  }

  static std::string fold(const std::string& text) {
    // Test-side folding for the letters used above (ASCII, Ü/ü, É/é, Ö/ö, Ä/ä, Í/í).
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == 0xC3 && i + 1 < text.size()) {
        unsigned char next = static_cast<unsigned char>(text[i + 1]);
        if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
        out += static_cast<char>(c);
        out += static_cast<char>(next);
        ++i;
      } else {
        out += static_cast<char>(std::tolower(c));
      }
    }
    return out;
  }

  std::set<std::string> brute_force(const std::string& query) const {
    std::set<std::string> hits;
    const std::string q = fold(query);
    for (const auto& p : people) {
      for (const auto* field : {&p.username, &p.name, &p.email, &p.team}) {
        if (fold(*field).find(q) != std::string::npos) hits.insert(p.username);
      }
    }
    return hits;
  }

  std::vector<std::string> search(std::vector<std::string> args) {
    args.insert(args.begin(), "search");
    const RunResult r = cli(args);
    EXPECT_TRUE(Succeeded(r)) << r;
    std::vector<std::string> names;
    for (auto& record : parse_jsonl(r.out)) names.push_back(record["username"].get<std::string>());
    return names;
  }

  std::vector<Person> people;
};
USERSCTL_E2E_INSTANTIATE(SearchTest);

TEST_P(SearchTest, ResultsEqualABruteForceFilter) {
  populate();
  for (const std::string query :
       {"müll", "MÜLL", "mull", "ynth", "example.org", "LÜDEN", "abfuhr", "u", "mü", "zz"}) {
    const auto names = search({query, "--limit", "1000"});
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), brute_force(query)) << query;
    EXPECT_EQ(names.size(), std::set<std::string>(names.begin(), names.end()).size())
        << "duplicates: " << query;
  }
}

TEST_P(SearchTest, RanksExactThenPrefixThenOthers) {
  populate();
  const auto names = search({"mull", "--limit", "1000"});
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "mull");
  bool in_others = false;
  for (std::size_t i = 1; i < names.size(); ++i) {
    const bool prefix = names[i].rfind("mull", 0) == 0;
    if (!prefix) in_others = true;
    EXPECT_FALSE(prefix && in_others) << names[i] << " (a prefix match) came after other matches";
  }
}

TEST_P(SearchTest, FieldsLimitAndEmptyResults) {
  populate();
  const auto by_email = search({"mueller", "--in", "email", "--limit", "1000"});
  for (const auto& name : by_email) {
    const auto person =
        std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.username == name; });
    ASSERT_NE(person, people.end());
    EXPECT_NE(fold(person->email).find("mueller"), std::string::npos) << name;
  }
  EXPECT_EQ(by_email.size(), 8u);  // i % 4 == 0 for i in [0, 30)
  EXPECT_EQ(search({"ops", "--in", "attrs", "--limit", "5"}).size(), 5u);
  EXPECT_EQ(search({"user"}).size(), 20u);  // below the default limit of 50
  const RunResult empty = cli({"search", "no-such-fragment"});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "");
  const RunResult bad = cli({"search", "x", "--in", "password"});
  EXPECT_TRUE(Failed(bad, 2, "--in"));
}

TEST_P(SearchTest, FieldsOptionShapesSearchOutput) {
  populate();
  const RunResult r = cli({"search", "mull", "--fields", "username,attrs.team", "-o", "csv", "--limit", "2"});
  ASSERT_TRUE(Succeeded(r));
  const auto rows = parse_delimited(r.out, ',');
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"username", "attrs.team"}));
  EXPECT_EQ(rows[1][0], "mull");
}

TEST_P(SearchTest, KeysetPagingHasNoDuplicatesOrGaps) {
  populate();
  for (const std::string sort : {"username", "uid:desc", "name", "email"}) {
    std::vector<std::string> paged;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
      std::vector<std::string> args = {"list", "--sort", sort, "--limit", "7", "--fields", "username"};
      if (!cursor.empty()) args.insert(args.end(), {"--after", cursor});
      const RunResult r = cli(args);
      ASSERT_EQ(r.exit_code, 0) << r;
      for (auto& record : parse_jsonl(r.out)) paged.push_back(record["username"].get<std::string>());
      const auto at = r.err.find("--after ");
      if (at == std::string::npos) break;
      cursor = r.err.substr(at + 8);
      cursor.erase(cursor.find_last_not_of("\n") + 1);
    }
    std::vector<std::string> all;
    for (auto& record : list_users({"--sort", sort})) all.push_back(record["username"].get<std::string>());
    EXPECT_EQ(paged, all) << sort;
  }
}

TEST_P(SearchTest, CursorFromAnotherSortIsAUsageError) {
  populate();
  const RunResult first = cli({"list", "--sort", "uid", "--limit", "3"});
  const auto at = first.err.find("--after ");
  ASSERT_NE(at, std::string::npos) << first;
  std::string cursor = first.err.substr(at + 8);
  cursor.erase(cursor.find_last_not_of("\n") + 1);
  EXPECT_TRUE(Failed(cli({"list", "--sort", "name", "--after", cursor}), 2, "cursor"));
  EXPECT_TRUE(Failed(cli({"list", "--after", "garbage"}), 2, "cursor"));
}

TEST_P(SearchTest, AttributeFiltersMatchBruteForce) {
  populate();
  std::set<std::string> expected;
  for (const auto& p : people) {
    if (p.team == "Müllabfuhr") expected.insert(p.username);
  }
  std::set<std::string> got;
  for (auto& record : list_users({"--where", "attrs.team=Müllabfuhr"})) got.insert(record["username"]);
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(list_users({"--where", "attrs.team=müllabfuhr"}).empty());  // values match exactly
  EXPECT_TRUE(list_users({"--where", "attrs.team=ops", "--where", "username=mull0"}).empty());
}

// Users in the recycle bin still sit in the search index; they never take a live match's place,
// so a page holds --limit live matches whenever there are that many (each tier, each backend).
TEST_P(SearchTest, BinnedMatchesDoNotShortenThePage) {
  for (int i = 0; i < 6; ++i) {
    add_user("smith" + std::to_string(i), {"--name", "Jo Smithers", "--email",
                                           "s" + std::to_string(i) + "@ex.org", "--attr", "team=xy", "-q"});
  }
  // The oldest rows, which each tier reads first.
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "smith0", "smith1", "smith2", "--yes"}), 3));
  const std::vector<std::string> live{"smith3", "smith4", "smith5"};
  EXPECT_EQ(search({"smith", "--limit", "3"}), live) << "username prefix";
  EXPECT_EQ(search({"smithers", "--in", "name", "--limit", "3"}), live) << "index (3+ characters)";
  EXPECT_EQ(search({"xy", "--in", "attrs", "--limit", "3"}), live) << "scan (short text)";
  EXPECT_EQ(search({"mithers", "--limit", "2"}), (std::vector<std::string>{"smith3", "smith4"}));
}

}  // namespace
}  // namespace usersctl::e2e
