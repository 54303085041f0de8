#include "userdb/host_accounts.hpp"

#include <sys/stat.h>

#include <charconv>
#include <fstream>
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

std::vector<HostCollision> find_host_collisions(HostAccounts& host, AccountSource& source) {
  std::vector<HostCollision> collisions;
  source.for_each_user([&](const UserAccount& user) {
    const bool name = host.user_name_taken(user.name), id = host.uid_taken(user.uid);
    if (name || id) collisions.push_back({HostCollision::Kind::User, user.name, user.uid, name, id});
    return true;
  });
  source.for_each_group([&](const GroupAccount& group) {
    const bool name = host.group_name_taken(group.name), id = host.gid_taken(group.gid);
    if (name || id) collisions.push_back({HostCollision::Kind::Group, group.name, group.gid, name, id});
    return true;
  });
  return collisions;
}

}  // namespace usersctl::userdb
