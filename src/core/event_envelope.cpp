#include "core/event_envelope.hpp"

#include <cstdlib>

#include "core/event_text.hpp"
#include "model/records.hpp"

namespace usersctl::core {

namespace {

bool about_user(model::ChangeType type) {
  using model::ChangeType;
  return type == ChangeType::UserCreated || type == ChangeType::UserUpdated ||
         type == ChangeType::UserDeleted || type == ChangeType::UserRestored ||
         type == ChangeType::UserPurged;
}

// The previous value of each changed field, taken from the record as it was; a password is
// never shown, only that it "changed".
model::Record before_object(const model::Record& before, const std::vector<std::string>& fields) {
  model::Record object = model::Record::object();
  for (const auto& field : fields) {
    if (field == "password") {
      object[field] = "changed";
    } else if (before.contains(field)) {
      object[field] = before[field];
    }
  }
  return object;
}

}  // namespace

std::string event_subject(const model::Change& change) {
  if (change.setting) return "settings/" + change.setting->key;
  return about_user(change.type) ? "users/" + change.user->username : "groups/" + change.group->name;
}

// The stable surrogate id of the record (unchanged by renames), so that a consumer spreading
// events over workers can keep each record's events in order: "user:17", "group:3", "setting:KEY".
std::string event_partition_key(const model::Change& change) {
  if (change.setting) return "setting:" + change.setting->key;
  // A purge hands over the negated id (its history's key once the row is gone: recycle_bin.cpp);
  // its event keeps the key the record's other events carry, or a consumer partitioning by key
  // could see the purge before the delete.
  if (change.group) return "group:" + std::to_string(std::abs(change.group->id));
  return "user:" + std::to_string(std::abs(change.user->id));
}

// The text written directly where it can be (the same bytes, much cheaper: event_text.hpp), else
// built as a json value.
std::string event_json(const model::Change& change, const EventHeader& header) {
  if (auto text = event_text(change, header)) return std::move(*text);
  return event_json_value(change, header);
}

std::string event_json_value(const model::Change& change, const EventHeader& header) {
  model::Record data = model::Record::object();
  if (change.group) data["group"] = model::group_record(*change.group);
  if (change.member_count) {
    // A membership event names the member (data.user) and the count, not the whole list.
    data["group"].erase("members");
    data["group"]["member_count"] = *change.member_count;
  }
  if (change.user) data["user"] = model::user_record(*change.user);
  if (change.setting) {
    data["setting"] = {{"key", change.setting->key},
                       {"value", change.setting->value},
                       {"previous", change.setting->previous}};
  }
  data["changes"] = change.changed_fields;
  if (change.user_before) {
    data["before"] = before_object(model::user_record(*change.user_before), change.changed_fields);
  } else if (change.group_before) {
    data["before"] = before_object(model::group_record(*change.group_before), change.changed_fields);
  }
  data["actor"] = header.actor;

  model::Record event = model::Record::object();
  event["specversion"] = "1.0";
  event["id"] = header.id;
  event["source"] = "usersctl";
  event["type"] = model::change_type_name(change.type);
  event["time"] = header.time;
  event["subject"] = event_subject(change);
  event["sequence"] = std::to_string(header.sequence);
  event["partitionkey"] = event_partition_key(change);
  event["datacontenttype"] = "application/json";
  event["data"] = std::move(data);
  return event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace usersctl::core
