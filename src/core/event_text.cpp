#include "core/event_text.hpp"

#include <charconv>
#include <string_view>
#include <vector>

#include "model/user_json.hpp"
#include "util/json_text.hpp"

namespace usersctl::core {

namespace {

// Appends "key": and the values of one record; `ok` turns false on text JSON cannot carry as is.
class Text {
 public:
  explicit Text(std::string& out) : out_(out) {}
  bool ok() const { return ok_; }

  Text& key(const char* name) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += name;
    out_ += "\":";
    return *this;
  }
  Text& string(std::string_view value) {
    ok_ = ok_ && util::append_json_string(out_, value);
    return *this;
  }
  Text& integer(std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out_.append(buffer, result.ptr);
    return *this;
  }
  Text& strings(const std::vector<std::string>& values) {
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      string(values[i]);
    }
    out_ += ']';
    return *this;
  }
  Text& user(const model::User& user) {
    ok_ = ok_ && model::append_user_json(out_, user);
    return *this;
  }
  // A nested object: its keys start afresh.
  template <typename Fill>
  Text& object(Fill fill) {
    out_ += '{';
    Text inner(out_);
    fill(inner);
    ok_ = ok_ && inner.ok_;
    out_ += '}';
    return *this;
  }

 private:
  std::string& out_;
  bool first_ = true;
  bool ok_ = true;
};

template <typename Entity>
void audit_fields(Text& t, const Entity& entity) {
  t.key("created_at").string(entity.created_at).key("updated_at").string(entity.updated_at);
  t.key("created_by").string(entity.created_by).key("updated_by").string(entity.updated_by);
  t.key("version").integer(entity.version);
}

// model::group_record's fields in its order; a membership event has the count, not the list.
void group_fields(Text& t, const model::Group& group, const std::optional<std::int64_t>& member_count) {
  t.key("name").string(group.name).key("gid").integer(group.gid).key("description").string(group.description);
  if (!member_count) t.key("members").strings(group.members);
  audit_fields(t, group);
  if (member_count) t.key("member_count").integer(*member_count);
}

}  // namespace

std::optional<std::string> event_text(const model::Change& change, const EventHeader& header) {
  // Settings and updates (their `before` object) are rare: the json value builds those.
  if (change.setting || change.user_before || change.group_before) return std::nullopt;
  std::string out;
  out.reserve(768);
  Text t(out);
  out += '{';
  t.key("specversion").string("1.0").key("id").string(header.id).key("source").string("usersctl");
  t.key("type").string(model::change_type_name(change.type)).key("time").string(header.time);
  t.key("subject").string(event_subject(change)).key("sequence").string(std::to_string(header.sequence));
  t.key("partitionkey").string(event_partition_key(change));
  t.key("datacontenttype").string("application/json").key("data").object([&](Text& data) {
    if (change.group)
      data.key("group").object([&](Text& g) { group_fields(g, *change.group, change.member_count); });
    if (change.user) data.key("user").user(*change.user);
    data.key("changes").strings(change.changed_fields).key("actor").string(header.actor);
  });
  out += '}';
  if (!t.ok()) return std::nullopt;
  return out;
}

}  // namespace usersctl::core
