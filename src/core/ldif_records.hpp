#pragma once
// RFC 2307 entries of an LDIF file as usersctl records: posixAccount entries are users,
// posixGroup entries groups; every other entry (the base, the ou entries) and every attribute
// usersctl has no field for (operational ones: entryUUID, createTimestamp, …) is ignored.

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/group_file.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {

// Every posixGroup entry, in file order. Throws LineError for the first bad entry anywhere in
// the file (this pass reads all of it, before the users are loaded).
std::vector<GroupInput> read_ldif_groups(std::istream& in, const std::string& label);

// The posixAccount entries, one at a time (groups are skipped: read_ldif_groups has them).
std::unique_ptr<UserReader> make_ldif_user_reader(std::istream& in, std::string label);

}  // namespace usersctl::core
