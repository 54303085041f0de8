#pragma once
// Which numbers and names a lookup is about.

namespace usersctl::model {

enum class IdSpace { Uid, Gid };
// Whose names a prefix lookup (shell completion) returns.
enum class NameKind { Users, Groups };

}  // namespace usersctl::model
