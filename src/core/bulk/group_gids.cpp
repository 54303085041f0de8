#include "core/bulk/group_gids.hpp"

namespace usersctl::core::bulk {

namespace {
// Above this many groups the lookups go to the store one by one (each group's member list
// comes with the listing).
constexpr std::int64_t kCachedGroups = 256;
}  // namespace

void GroupGids::load() {
  loaded_ = true;
  if (store_.count_groups() > kCachedGroups) return;
  store_.list_groups(std::nullopt, [&](const model::Group& group) { names_.emplace(group.gid, group.name); });
  cached_ = true;
}

std::optional<std::string> GroupGids::name_of(std::int64_t gid) {
  if (!loaded_) load();
  if (!cached_) {
    const auto group = store_.find_group_by_gid(gid);
    return group ? std::optional<std::string>(group->name) : std::nullopt;
  }
  const auto found = names_.find(gid);
  return found == names_.end() ? std::nullopt : std::optional<std::string>(found->second);
}

void GroupGids::created(const model::Group& group) {
  if (cached_) names_.emplace(group.gid, group.name);
}

}  // namespace usersctl::core::bulk
