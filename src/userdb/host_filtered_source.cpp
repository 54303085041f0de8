#include "userdb/host_filtered_source.hpp"

namespace usersctl::userdb {

std::optional<UserAccount> HostFilteredSource::visible(std::optional<UserAccount> user) {
  if (user && host_.collides(*user)) return std::nullopt;
  return user;
}

std::optional<GroupAccount> HostFilteredSource::visible(std::optional<GroupAccount> group) {
  if (group && host_.collides(*group)) return std::nullopt;
  return group;
}

// The host's names are checked before asking the database: a lookup of "root" never costs a query.
std::optional<UserAccount> HostFilteredSource::find_user_by_name(const std::string& name) {
  if (host_.user_name_taken(name)) return std::nullopt;
  return visible(inner_.find_user_by_name(name));
}

std::optional<UserAccount> HostFilteredSource::find_user_by_uid(std::uint32_t uid) {
  if (host_.uid_taken(uid)) return std::nullopt;
  return visible(inner_.find_user_by_uid(uid));
}

std::optional<GroupAccount> HostFilteredSource::find_group_by_name(const std::string& name) {
  if (host_.group_name_taken(name)) return std::nullopt;
  return visible(inner_.find_group_by_name(name));
}

std::optional<GroupAccount> HostFilteredSource::find_group_by_gid(std::uint32_t gid) {
  if (host_.gid_taken(gid)) return std::nullopt;
  return visible(inner_.find_group_by_gid(gid));
}

void HostFilteredSource::for_each_user(const UserSink& sink) {
  inner_.for_each_user([&](const UserAccount& user) { return host_.collides(user) || sink(user); });
}

void HostFilteredSource::for_each_group(const GroupSink& sink) {
  inner_.for_each_group([&](const GroupAccount& group) { return host_.collides(group) || sink(group); });
}

// A pair is hidden with either side: the user or the group it names is not ours to serve.
void HostFilteredSource::for_each_membership(const std::optional<std::string>& user,
                                             const std::optional<std::string>& group,
                                             const MembershipSink& sink) {
  if ((user && host_.user_name_taken(*user)) || (group && host_.group_name_taken(*group))) return;
  inner_.for_each_membership(user, group, [&](const std::string& member, const std::string& of) {
    return host_.user_name_taken(member) || host_.group_name_taken(of) || sink(member, of);
  });
}

}  // namespace usersctl::userdb
