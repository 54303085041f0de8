#pragma once
// The names and ids the host already defines in /etc/passwd and /etc/group. The service must not
// shadow them: a record of ours that collides is treated as not found, and `usersctl health` can
// list the collisions. The files are parsed directly, never through NSS: NSS would ask nss-systemd,
// which would ask us.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "userdb/account.hpp"

namespace usersctl::userdb {

// One file's names and ids, re-read whenever the file's mtime, size or inode changes.
class HostIdFile {
 public:
  explicit HostIdFile(std::string path) : path_(std::move(path)) {}

  struct Snapshot {
    std::set<std::string, std::less<>> names;
    std::set<std::uint32_t> ids;
  };

  bool has_name(const std::string& name);
  bool has_id(std::uint32_t id);
  // Every name and id the file defines now.
  std::shared_ptr<const Snapshot> current();

 private:
  struct Stamp {
    bool exists = false;
    timespec mtime{};
    off_t size = 0;
    ino_t inode = 0;
    bool operator==(const Stamp& other) const;
  };

  static Stamp stamp_of(const std::string& path);
  static std::shared_ptr<const Snapshot> load(const std::string& path);

  std::string path_;
  std::mutex mutex_;
  Stamp stamp_;
  std::shared_ptr<const Snapshot> snapshot_;
};

class HostAccounts {
 public:
  explicit HostAccounts(std::string passwd_path = "/etc/passwd", std::string group_path = "/etc/group")
      : passwd_(std::move(passwd_path)), group_(std::move(group_path)) {}

  bool collides(const UserAccount& user) { return user_name_taken(user.name) || uid_taken(user.uid); }
  bool collides(const GroupAccount& group) { return group_name_taken(group.name) || gid_taken(group.gid); }

  bool user_name_taken(const std::string& name) { return passwd_.has_name(name); }
  bool uid_taken(std::uint32_t uid) { return passwd_.has_id(uid); }
  bool group_name_taken(const std::string& name) { return group_.has_name(name); }
  bool gid_taken(std::uint32_t gid) { return group_.has_id(gid); }

  // Whether the host's files have a user (group) by this name or id.
  bool has_user(const AccountKey& key) { return has(passwd_, key); }
  bool has_group(const AccountKey& key) { return has(group_, key); }

  HostIdFile& passwd() { return passwd_; }
  HostIdFile& group() { return group_; }

 private:
  static bool has(HostIdFile& file, const AccountKey& key) {
    if (const auto* name = std::get_if<std::string>(&key)) return file.has_name(*name);
    return file.has_id(std::get<std::uint32_t>(key));
  }

  HostIdFile passwd_;
  HostIdFile group_;
};

struct HostCollision {
  enum class Kind { User, Group };
  Kind kind;
  std::string name;
  std::uint32_t id;
  bool name_taken;  // the host has an entry of this name
  bool id_taken;    // the host has an entry of this id
};

// Every record of `source` the service withholds because the host defines its name or id, users
// first, each kind in id order. It looks up the host's few entries in `source`, never walks the
// directory, so it stays quick at a million users.
std::vector<HostCollision> find_host_collisions(HostAccounts& host, AccountSource& source);

}  // namespace usersctl::userdb
