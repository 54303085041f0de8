#include "userdb/host_filtered_source.hpp"

#include <vector>

namespace usersctl::userdb {

// A private group is its user's: withheld with the user (its name is the user's, its gid the uid).
bool HostFilteredSource::withheld(const GroupAccount& group) {
  if (host_.collides(group)) return true;
  return group.private_group && (host_.user_name_taken(group.name) || host_.uid_taken(group.gid));
}

std::optional<UserAccount> HostFilteredSource::visible(std::optional<UserAccount> user) {
  if (user && host_.collides(*user)) return std::nullopt;
  return user;
}

std::optional<GroupAccount> HostFilteredSource::visible(std::optional<GroupAccount> group) {
  if (group && withheld(*group)) return std::nullopt;
  return group;
}

// The host's names and ids are checked before asking the database: a lookup of "root" never
// costs a query.
std::optional<UserAccount> HostFilteredSource::find_user(const AccountKey& key) {
  if (host_.has_user(key)) return std::nullopt;
  return visible(inner_.find_user(key));
}

std::optional<GroupAccount> HostFilteredSource::find_group(const AccountKey& key) {
  if (host_.has_group(key)) return std::nullopt;
  return visible(inner_.find_group(key));
}

void HostFilteredSource::for_each_user(const UserSink& sink) {
  inner_.for_each_user([&](const UserAccount& user) { return host_.collides(user) || sink(user); });
}

void HostFilteredSource::for_each_group(const GroupSink& sink) {
  inner_.for_each_group([&](const GroupAccount& group) { return withheld(group) || sink(group); });
}

HostFilteredSource::WithheldByDirectory HostFilteredSource::withheld_by_id() {
  WithheldByDirectory out;
  for (const auto uid : host_.passwd().current()->ids)
    if (const auto user = inner_.find_user_by_uid(uid)) out.users.insert(user->name);
  for (const auto gid : host_.group().current()->ids)
    if (const auto group = inner_.find_group_by_gid(gid)) out.groups.insert(group->name);
  return out;
}

// One user's pairs (initgroups): the user itself is looked up, then each of its few groups --
// after the stream, so that no lookup runs inside another (a second database connection).
void HostFilteredSource::memberships_of_user(const std::string& user, const std::optional<std::string>& group,
                                             const MembershipSink& sink) {
  if (!find_user_by_name(user)) return;
  std::vector<std::string> groups;
  inner_.for_each_membership(user, group, [&](const std::string& member, const std::string& of) {
    if (member == user) groups.push_back(of);
    return true;
  });
  for (const auto& of : groups)
    if (find_group_by_name(of) && !sink(user, of)) return;
}

// A pair is hidden with either side: the user or the group it names is not ours to serve.
void HostFilteredSource::for_each_membership(const std::optional<std::string>& user,
                                             const std::optional<std::string>& group,
                                             const MembershipSink& sink) {
  if (user) return memberships_of_user(*user, group, sink);
  if (group && !find_group_by_name(*group)) return;
  const WithheldByDirectory by_id = withheld_by_id();
  inner_.for_each_membership(user, group, [&](const std::string& member, const std::string& of) {
    const bool hidden = host_.user_name_taken(member) || by_id.users.count(member) > 0 ||
                        host_.group_name_taken(of) || by_id.groups.count(of) > 0;
    return hidden || sink(member, of);
  });
}

}  // namespace usersctl::userdb
