#pragma once
// An AccountSource over fixed lists, for the userdb unit tests and userdb_fixture_server.
// It can be told to fail (Unavailable) or to hang until released, to exercise the deadlines.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "userdb/account.hpp"
#include "util/errors.hpp"

namespace usersctl::userdb::testing {

class FixedAccountSource : public AccountSource {
 public:
  FixedAccountSource(std::vector<UserAccount> users, std::vector<GroupAccount> groups)
      : users_(std::move(users)), groups_(std::move(groups)) {}

  std::atomic<bool> unavailable{false};
  std::atomic<int> calls{0};

  // Every call blocks until release() (or 10 s): a database that stopped answering.
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    released_.notify_all();
  }

  std::optional<UserAccount> find_user(const AccountKey& key) override {
    enter();
    return find(users_, [&](const UserAccount& u) { return matches(key, u.name, u.uid); });
  }
  std::optional<GroupAccount> find_group(const AccountKey& key) override {
    enter();
    return find(groups_, [&](const GroupAccount& g) { return matches(key, g.name, g.gid); });
  }
  void for_each_user(const UserSink& sink) override {
    enter();
    for (const auto& user : users_)
      if (!sink(user)) return;
  }
  void for_each_group(const GroupSink& sink) override {
    enter();
    for (const auto& group : groups_)
      if (!sink(group)) return;
  }
  // Group member lists are the truth here; a real source would also honour user.member_of.
  void for_each_membership(const std::optional<std::string>& user, const std::optional<std::string>& group,
                           const MembershipSink& sink) override {
    enter();
    for (const auto& g : groups_) {
      if (group && g.name != *group) continue;
      for (const auto& member : g.members)
        if ((!user || member == *user) && !sink(member, g.name)) return;
    }
  }

 private:
  static bool matches(const AccountKey& key, const std::string& name, std::uint32_t id) {
    if (const auto* wanted = std::get_if<std::string>(&key)) return *wanted == name;
    return std::get<std::uint32_t>(key) == id;
  }

  template <typename T, typename Match>
  static std::optional<T> find(const std::vector<T>& items, Match match) {
    const auto it = std::find_if(items.begin(), items.end(), match);
    if (it == items.end()) return std::nullopt;
    return *it;
  }

  void enter() {
    ++calls;
    {
      std::unique_lock lock(mutex_);
      released_.wait_for(lock, std::chrono::seconds(10), [&] { return !held_; });
    }
    if (unavailable) throw Unavailable("database is gone");
  }

  std::vector<UserAccount> users_;
  std::vector<GroupAccount> groups_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool held_ = false;
};

// alice (uid 60001, locked: no), bob (60002, locked), their (synthesized) private groups and "devs".
inline FixedAccountSource sample_source() {
  UserAccount alice{"alice",
                    60001,
                    60001,
                    "Alice Example",
                    "/home/alice",
                    "/bin/bash",
                    "alice@example.org",
                    false,
                    "$6$salt$hash",
                    {"ssh-ed25519 AAAA alice@laptop"},
                    {"devs"}};
  UserAccount bob{
      "bob", 60002, 60002, "Bob", "/home/bob", "/bin/sh", std::nullopt, true, "$6$bobsalt$bobhash", {}, {}};
  return FixedAccountSource({alice, bob}, {{"alice", 60001, std::nullopt, {"alice"}, true},
                                           {"bob", 60002, std::nullopt, {"bob"}, true},
                                           {"devs", 60100, "Developers", {"alice"}}});
}

}  // namespace usersctl::userdb::testing
