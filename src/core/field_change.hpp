#pragma once
// An update's one step per field: set it when the new value differs, and name it among the
// fields that changed (what `update` and `apply` report, and what the user.updated event lists).

#include <string>
#include <vector>

namespace usersctl::core {

template <class Field, class Value>
void change_field(Field& field, const Value& value, const char* name, std::vector<std::string>& changed) {
  if (field == value) return;
  field = value;
  changed.emplace_back(name);
}

}  // namespace usersctl::core
