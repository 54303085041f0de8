#include "core/history_diff.hpp"

#include <algorithm>
#include <set>

namespace usersctl::core {

namespace {

using model::Record;

// Bookkeeping of every record, not something an admin changed.
const std::set<std::string>& audit_fields() {
  static const std::set<std::string> fields{"created_at", "updated_at", "created_by", "updated_by",
                                            "version",    "deleted_at", "deleted_by"};
  return fields;
}

Record step(Record before, Record after) {
  return Record{{"before", std::move(before)}, {"after", std::move(after)}};
}

// Every field of a whole record, as after (a creation) or as before (a deletion).
Record whole_record(const Record& record, bool as_after) {
  Record changes = Record::object();
  if (!record.is_object()) return changes;
  for (const auto& [field, value] : record.items()) {
    if (audit_fields().count(field) > 0) continue;
    changes[field] = as_after ? step(nullptr, value) : step(value, nullptr);
  }
  return changes;
}

Record field_of(const Record& object, const std::string& field) {
  if (!object.is_object() || !object.contains(field)) return nullptr;
  return object[field];
}

Record updated_fields(const Record& data, const Record& record) {
  Record changes = Record::object();
  const Record before = data.value("before", Record::object());
  for (const auto& field : data.value("changes", Record::array())) {
    const std::string name = field.get<std::string>();
    if (name == "password") {
      changes[name] = step("changed", "changed");
    } else {
      changes[name] = step(field_of(before, name), field_of(record, name));
    }
  }
  return changes;
}

// A list of names with `name` added or taken out, sorted as records keep them.
Record with_or_without(const Record& names, const std::string& name, bool with) {
  std::vector<std::string> list;
  if (names.is_array()) {
    for (const auto& item : names) list.push_back(item.get<std::string>());
  }
  list.erase(std::remove(list.begin(), list.end(), name), list.end());
  if (with) list.push_back(name);
  std::sort(list.begin(), list.end());
  return list;
}

// A membership seen from the user (its groups) or from the group (its members). The records
// carry the lists as they are after the change; before is that list without the change.
Record membership(const Record& data, model::RecordKind kind, bool added) {
  const Record user = data.value("user", Record::object());
  const Record group = data.value("group", Record::object());
  const bool of_user = kind == model::RecordKind::User;
  const char* field = of_user ? "groups" : "members";
  const std::string member =
      of_user ? group.value("name", std::string()) : user.value("username", std::string());
  Record after = field_of(of_user ? user : group, field);
  const Record stated_before = field_of(data.value("before", Record::object()), field);
  Record before = stated_before.is_null() ? with_or_without(after, member, !added) : stated_before;
  if (after.is_null()) after = with_or_without(before, member, added);
  Record changes = Record::object();
  changes[field] = step(std::move(before), std::move(after));
  return changes;
}

}  // namespace

HistoryEntry history_entry(const model::StoredEvent& event, model::RecordKind kind) {
  HistoryEntry entry;
  entry.sequence = event.sequence;
  entry.time = event.time;
  entry.type = event.type;
  const Record body = Record::parse(event.body, nullptr, false);
  if (!body.is_object()) return entry;
  const Record data = body.value("data", Record::object());
  entry.actor = data.value("actor", std::string());
  const Record record = data.value(kind == model::RecordKind::User ? "user" : "group", Record::object());
  const std::string& type = event.type;
  const auto ends_with = [&](std::string_view suffix) {
    return type.size() >= suffix.size() &&
           type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".created") || ends_with(".restored")) {
    entry.changes = whole_record(record, true);
  } else if (ends_with(".deleted")) {
    entry.changes = whole_record(record, false);
  } else if (type == "group.member_added" || type == "group.member_removed") {
    entry.changes = membership(data, kind, type == "group.member_added");
  } else if (ends_with(".updated")) {
    entry.changes = updated_fields(data, record);
  }
  return entry;
}

Record history_record(const HistoryEntry& entry) {
  Record record = Record::object();
  record["sequence"] = entry.sequence;
  record["time"] = entry.time;
  record["actor"] = entry.actor;
  record["type"] = entry.type;
  record["changes"] = entry.changes;
  return record;
}

}  // namespace usersctl::core
