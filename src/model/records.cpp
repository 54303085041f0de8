#include "model/records.hpp"

namespace usersctl::model {

namespace {

// Attributes serialise as a JSON object even when empty, so `jq .attrs.k` never meets null.
Record attrs_object(const model::Attributes& attrs) {
  Record object = Record::object();
  for (const auto& [key, value] : attrs) object[key] = value;
  return object;
}

// Names serialise as a JSON array even when empty, for the same reason.
Record name_array(const std::vector<std::string>& names) {
  Record array = Record::array();
  for (const auto& name : names) array.push_back(name);
  return array;
}

// The audit fields users and groups share, appended in their fixed order.
template <typename Entity>
void append_audit_fields(Record& record, const Entity& entity) {
  record["created_at"] = entity.created_at;
  record["updated_at"] = entity.updated_at;
  record["created_by"] = entity.created_by;
  record["updated_by"] = entity.updated_by;
  record["version"] = entity.version;
}

// ordered_json keeps keys in a vector: sizing it once spares a reallocation per doubling, which
// shows in a million-record export.
Record object_with_room(std::size_t keys) {
  Record object = Record::object();
  object.get_ref<Record::object_t&>().reserve(keys);
  return object;
}

}  // namespace

Record user_record(const model::User& user) {
  Record record = object_with_room(19);
  record["username"] = user.username;
  record["uid"] = user.uid;
  record["gid"] = user.gid;
  record["name"] = user.name;
  record["email"] = user.email ? Record(*user.email) : Record(nullptr);
  record["home"] = user.home;
  record["shell"] = user.shell;
  record["groups"] = name_array(user.groups);
  record["ssh_keys"] = name_array(user.ssh_keys);
  record["attrs"] = attrs_object(user.attrs);
  record["disabled"] = user.disabled;
  record["valid_from"] = user.valid_from ? Record(*user.valid_from) : Record(nullptr);
  record["expires_at"] = user.expires_at ? Record(*user.expires_at) : Record(nullptr);
  record["password_changed_at"] =
      user.password_changed_at ? Record(*user.password_changed_at) : Record(nullptr);
  append_audit_fields(record, user);
  if (user.deleted_at) {  // in the recycle bin
    record["deleted_at"] = *user.deleted_at;
    record["deleted_by"] = user.deleted_by ? Record(*user.deleted_by) : Record(nullptr);
  }
  return record;
}

Record group_record(const model::Group& group) {
  Record record = object_with_room(9);
  record["name"] = group.name;
  record["gid"] = group.gid;
  record["description"] = group.description;
  record["members"] = name_array(group.members);
  append_audit_fields(record, group);
  if (group.deleted_at) {  // in the recycle bin
    record["deleted_at"] = *group.deleted_at;
    record["deleted_by"] = group.deleted_by ? Record(*group.deleted_by) : Record(nullptr);
  }
  return record;
}

}  // namespace usersctl::model
