// The JSONL writer prints whole users as text directly (write_user); the lines must be those of
// write(user_record(user)), and --fields must still select.

#include <gtest/gtest.h>

#include <sstream>

#include "model/records.hpp"
#include "output/record_writer.hpp"

using namespace usersctl;

namespace {

model::User user() {
  model::User u;
  u.username = "alice";
  u.uid = 1000;
  u.gid = 1000;
  u.name = "Ålice \"Q\"";
  u.home = "/home/alice";
  u.shell = "/bin/sh";
  u.groups = {"dev"};
  u.attrs = {{"room", "12"}, {"bad", "\xff"}};
  u.created_at = u.updated_at = "2026-11-22T10:00:00.123Z";
  u.created_by = u.updated_by = "root";
  return u;
}

std::string lines(const output::WriterOptions& options, bool direct, const model::User& u) {
  std::ostringstream out;
  auto writer = output::make_writer(options, out);
  if (direct) {
    writer->write_user(u);
  } else {
    writer->write(model::user_record(u));
  }
  writer->finish();
  return out.str();
}

}  // namespace

TEST(UserJsonl, WriteUserPrintsTheLinesOfTheRecord) {
  model::User good = user();
  good.attrs.erase("bad");
  for (const model::User& u : {good, user(), model::User{}}) {
    output::WriterOptions whole;
    EXPECT_EQ(lines(whole, true, u), lines(whole, false, u));
    output::WriterOptions some;
    some.fields = {"uid", "attrs.room", "username"};
    EXPECT_EQ(lines(some, true, u), lines(some, false, u));
    output::WriterOptions csv;
    csv.format = output::Format::Csv;
    EXPECT_EQ(lines(csv, true, u), lines(csv, false, u));
  }
}
