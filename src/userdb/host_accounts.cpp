#include "userdb/host_accounts.hpp"

#include <sys/stat.h>

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>

namespace usersctl::userdb {
namespace {

// passwd(5)/group(5): NAME:PASSWORD:ID:...; lines that are empty, comments or NIS compat
// entries (+/-) name nobody and are skipped, as is anything without a numeric id.
bool parse_line(std::string_view line, std::string& name, std::uint32_t& id) {
  if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') return false;
  const auto first = line.find(':');
  if (first == std::string_view::npos || first == 0) return false;
  const auto second = line.find(':', first + 1);
  if (second == std::string_view::npos) return false;
  const auto third = line.find(':', second + 1);
  const std::string_view digits =
      line.substr(second + 1, third == std::string_view::npos ? third : third - second - 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) return false;
  name.assign(line.substr(0, first));
  return true;
}

}  // namespace

bool HostIdFile::Stamp::operator==(const Stamp& other) const {
  return exists == other.exists && mtime.tv_sec == other.mtime.tv_sec &&
         mtime.tv_nsec == other.mtime.tv_nsec && size == other.size && inode == other.inode;
}

HostIdFile::Stamp HostIdFile::stamp_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return {true, info.st_mtim, info.st_size, info.st_ino};
}

std::shared_ptr<const HostIdFile::Snapshot> HostIdFile::load(const std::string& path) {
  auto snapshot = std::make_shared<Snapshot>();
  std::ifstream in(path);
  std::string line, name;
  std::uint32_t id = 0;
  while (std::getline(in, line)) {
    if (!parse_line(line, name, id)) continue;
    snapshot->names.insert(name);
    snapshot->ids.insert(id);
  }
  return snapshot;
}

// A stat per lookup is cheap next to the socket round trip, and catches `useradd` at once.
std::shared_ptr<const HostIdFile::Snapshot> HostIdFile::current() {
  const Stamp now = stamp_of(path_);
  std::lock_guard lock(mutex_);
  if (!snapshot_ || !(now == stamp_)) {
    snapshot_ = load(path_);
    stamp_ = now;
  }
  return snapshot_;
}

bool HostIdFile::has_name(const std::string& name) { return current()->names.count(name) > 0; }
bool HostIdFile::has_id(std::uint32_t id) { return current()->ids.count(id) > 0; }

namespace {

std::uint32_t id_of(const UserAccount& user) { return user.uid; }
std::uint32_t id_of(const GroupAccount& group) { return group.gid; }

// The records of ours each host name or id finds, in (id, name) order without repeats.
template <typename Account, typename ByName, typename ById>
std::map<std::pair<std::uint32_t, std::string>, Account> records_hit_by(const HostIdFile::Snapshot& host,
                                                                        ByName by_name, ById by_id) {
  std::map<std::pair<std::uint32_t, std::string>, Account> hits;
  const auto keep = [&](const std::optional<Account>& found) {
    if (found) hits.emplace(std::make_pair(id_of(*found), found->name), *found);
  };
  for (const auto& name : host.names) keep(by_name(name));
  for (const auto id : host.ids) keep(by_id(id));
  return hits;
}

}  // namespace

std::vector<HostCollision> find_host_collisions(HostAccounts& host, AccountSource& source) {
  std::vector<HostCollision> collisions;
  const auto users = records_hit_by<UserAccount>(
      *host.passwd().current(), [&](const std::string& name) { return source.find_user_by_name(name); },
      [&](std::uint32_t uid) { return source.find_user_by_uid(uid); });
  for (const auto& [key, user] : users) {
    collisions.push_back({HostCollision::Kind::User, user.name, user.uid, host.user_name_taken(user.name),
                          host.uid_taken(user.uid)});
  }
  const auto groups = records_hit_by<GroupAccount>(
      *host.group().current(), [&](const std::string& name) { return source.find_group_by_name(name); },
      [&](std::uint32_t gid) { return source.find_group_by_gid(gid); });
  for (const auto& [key, group] : groups) {
    collisions.push_back({HostCollision::Kind::Group, group.name, group.gid,
                          host.group_name_taken(group.name), host.gid_taken(group.gid)});
  }
  return collisions;
}

}  // namespace usersctl::userdb
