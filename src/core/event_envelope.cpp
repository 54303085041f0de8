#include "core/event_envelope.hpp"

#include "model/records.hpp"

namespace usersctl::core {

std::string event_subject(const model::Change& change) {
  const bool about_user = change.type == model::ChangeType::UserCreated ||
                          change.type == model::ChangeType::UserUpdated ||
                          change.type == model::ChangeType::UserDeleted;
  if (change.setting) return "settings/" + change.setting->key;
  return about_user ? "users/" + change.user->username : "groups/" + change.group->name;
}

// The stable surrogate id of the record (unchanged by renames), so that a consumer spreading
// events over workers can keep each record's events in order: "user:17", "group:3", "setting:KEY".
std::string event_partition_key(const model::Change& change) {
  if (change.setting) return "setting:" + change.setting->key;
  if (change.group) return "group:" + std::to_string(change.group->id);
  return "user:" + std::to_string(change.user->id);
}

std::string event_json(const model::Change& change, const EventHeader& header) {
  model::Record data = model::Record::object();
  if (change.group) data["group"] = model::group_record(*change.group);
  if (change.user) data["user"] = model::user_record(*change.user);
  if (change.setting) {
    data["setting"] = {{"key", change.setting->key},
                       {"value", change.setting->value},
                       {"previous", change.setting->previous}};
  }
  data["changes"] = change.changed_fields;
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
