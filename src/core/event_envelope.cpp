#include "core/event_envelope.hpp"

#include "core/event_text.hpp"
#include "model/records.hpp"

namespace usersctl::core {

std::string event_subject(const model::Change& change) {
  const bool about_user = change.type == model::ChangeType::UserCreated ||
                          change.type == model::ChangeType::UserUpdated ||
                          change.type == model::ChangeType::UserDeleted;
  if (change.setting) return "settings/" + change.setting->key;
  return about_user ? "users/" + change.user->username : "groups/" + change.group->name;
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
  data["actor"] = header.actor;

  model::Record event = model::Record::object();
  event["specversion"] = "1.0";
  event["id"] = header.id;
  event["source"] = "usersctl";
  event["type"] = model::change_type_name(change.type);
  event["time"] = header.time;
  event["subject"] = event_subject(change);
  event["sequence"] = std::to_string(header.sequence);
  event["datacontenttype"] = "application/json";
  event["data"] = std::move(data);
  return event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace usersctl::core
