#pragma once
// One in-memory SQLite store per fuzz process, with a few users, so targets can run what they
// parsed all the way down to the SQL.

#include <memory>

#include "model/user.hpp"
#include "store/database.hpp"

namespace usersctl::fuzz {

inline store::Database& memory_store() {
  static const std::unique_ptr<store::Database> store = [] {
    auto opened = store::open_database("sqlite::memory:");
    opened->write([&] {
      for (int i = 0; i < 3; ++i) {
        model::User user;
        user.username = "user" + std::to_string(i);
        user.uid = 1000 + i;
        user.name = "User " + std::to_string(i);
        user.attrs["team"] = i % 2 ? "ops" : "dev";
        user.created_at = user.updated_at = "2026-01-01T00:00:00Z";
        user.created_by = user.updated_by = "fuzz";
        user.version = 1;
        opened->records().insert_user(user, std::nullopt);
      }
    });
    return opened;
  }();
  return *store;
}

}  // namespace usersctl::fuzz
