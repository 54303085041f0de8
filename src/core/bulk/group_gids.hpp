#pragma once
// Which group holds a gid, for the check that a new user's uid is no group's gid. Asked of the
// store for every record it cost a round trip a user on PostgreSQL (most of an import's time): a
// database with few groups has them all read once, and those the load creates are added as it
// goes. The writer lock keeps other writers out meanwhile, so the copy stays true.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/group.hpp"
#include "store/store.hpp"

namespace usersctl::core::bulk {

class GroupGids {
 public:
  explicit GroupGids(store::Store& store) : store_(store) {}
  // The name of the group with this gid, if any.
  std::optional<std::string> name_of(std::int64_t gid);
  // A group this load made.
  void created(const model::Group& group);

 private:
  void load();

  store::Store& store_;
  bool loaded_ = false;
  bool cached_ = false;  // the map holds every group: no need to ask the store
  std::unordered_map<std::int64_t, std::string> names_;
};

}  // namespace usersctl::core::bulk
