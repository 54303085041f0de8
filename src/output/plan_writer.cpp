#include "output/plan_writer.hpp"

#include <ostream>

#include "output/compact_json.hpp"
#include "output/display_text.hpp"
#include "output/records.hpp"

namespace usersctl::output {

namespace {

using model::ChangeType;

// The value of one changed field ("password" has none to show).
Record field_of(const Record& record, const std::string& field) {
  if (field == "password") return "(changed)";
  return record.contains(field) ? record.at(field) : Record();
}

std::string compact(const Record& value) {
  std::string text;
  append_compact_json(text, value);
  return text;
}

class JsonlPlanWriter : public PlanWriter {
 public:
  explicit JsonlPlanWriter(std::ostream& out) : out_(out) {}

  void write(const model::PlannedChange& step) override {
    const model::Change& change = step.change;
    Record line = Record::object();
    line["action"] = model::names_of(change.type).action;
    if (model::names_of(change.type).about_group) {
      line["kind"] = "group";
      line["name"] = change.group->name;
      if (change.user) line["member"] = change.user->username;
      if (change.type == ChangeType::GroupCreated || change.type == ChangeType::GroupDeleted) {
        line["record"] = group_record(*change.group);  // a deleted group's last state: its members
      }
    } else {
      line["kind"] = "user";
      line["name"] = change.user->username;
      if (change.type == ChangeType::UserUpdated && step.before) {
        const Record before = user_record(*step.before);
        const Record after = user_record(*change.user);
        line["changes"] = change.changed_fields;
        for (const auto& field : change.changed_fields) {
          line["before"][field] = field_of(before, field);
          line["after"][field] = field_of(after, field);
        }
      } else {
        line["record"] = user_record(*change.user);
      }
    }
    if (step.line > 0) line["line"] = step.line;
    out_ << compact(line) << '\n';
  }

 private:
  std::ostream& out_;
};

class DiffPlanWriter : public PlanWriter {
 public:
  explicit DiffPlanWriter(std::ostream& out) : out_(out) {}

  void write(const model::PlannedChange& step) override {
    const model::Change& change = step.change;
    switch (change.type) {
      case ChangeType::UserCreated:
        out_ << "+ user " << terminal_safe(change.user->username);
        break;
      case ChangeType::UserDeleted:
        out_ << "- user " << terminal_safe(change.user->username);
        break;
      case ChangeType::GroupCreated:
        out_ << "+ group " << terminal_safe(change.group->name);
        break;
      case ChangeType::MemberAdded:
        out_ << "+ member " << terminal_safe(change.user->username) << " of group "
             << terminal_safe(change.group->name);
        break;
      case ChangeType::MemberRemoved:
        out_ << "- member " << terminal_safe(change.user->username) << " of group "
             << terminal_safe(change.group->name);
        break;
      case ChangeType::GroupDeleted:
        write_group_delete(*change.group);
        break;
      case ChangeType::GroupUpdated:
        out_ << "~ group " << terminal_safe(change.group->name);
        break;
      case ChangeType::UserUpdated:
        write_update(step);
        break;
      default:
        out_ << model::names_of(change.type).action << (change.group ? " group " + change.group->name : "");
        break;
    }
    if (step.line > 0 && change.type != ChangeType::UserUpdated) out_ << "  (line " << step.line << ')';
    out_ << '\n';
  }

 private:
  void write_group_delete(const model::Group& group) {
    out_ << "- group " << terminal_safe(group.name);
    if (group.members.empty()) return;
    std::string members;
    for (const auto& member : group.members) members += (members.empty() ? "" : ",") + member;
    out_ << "  (members " << terminal_safe(members) << ')';
  }

  void write_update(const model::PlannedChange& step) {
    if (!step.before) {  // a change with no record before it to compare (passwd): just the fields
      out_ << "~ user " << terminal_safe(step.change.user->username);
      for (const auto& field : step.change.changed_fields) out_ << "\n    " << field;
      return;
    }
    const Record before = user_record(*step.before);
    const Record after = user_record(*step.change.user);
    out_ << "~ user " << terminal_safe(step.change.user->username);
    if (step.line > 0) out_ << "  (line " << step.line << ')';
    for (const auto& field : step.change.changed_fields) {
      out_ << "\n    " << field << ": " << terminal_safe(compact(field_of(before, field))) << " -> "
           << terminal_safe(compact(field_of(after, field)));
    }
  }

  std::ostream& out_;
};

}  // namespace

std::unique_ptr<PlanWriter> make_plan_writer(PlanStyle style, std::ostream& out) {
  if (style == PlanStyle::Diff) return std::make_unique<DiffPlanWriter>(out);
  return std::make_unique<JsonlPlanWriter>(out);
}

}  // namespace usersctl::output
