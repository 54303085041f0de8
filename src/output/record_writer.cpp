#include "output/record_writer.hpp"

#include <string_view>

#include "model/records.hpp"
#include "output/csv_writer.hpp"
#include "output/json_writer.hpp"
#include "output/table_writer.hpp"
#include "util/text.hpp"

namespace usersctl::output {

void RecordWriter::write_user(const model::User& user) { write(model::user_record(user)); }

std::unique_ptr<RecordWriter> make_writer(const WriterOptions& options, std::ostream& out) {
  switch (options.format) {
    case Format::Table:
      return make_table_writer(options, out);
    case Format::Json:
      return make_json_writer(options, out);
    case Format::Jsonl:
      return make_jsonl_writer(options, out);
    case Format::Csv:
      return make_csv_writer(options, out, ',');
    case Format::Tsv:
      return make_csv_writer(options, out, '\t');
  }
  return make_jsonl_writer(options, out);  // unreachable: every Format is handled above
}

const Record& field_ref(const Record& record, const std::string& field) {
  static const Record null_value = nullptr;
  // An exact top-level key wins, so a field whose name holds a dot is still reachable.
  if (const auto it = record.find(field); it != record.end()) return *it;
  const auto dot = field.find('.');
  if (dot == std::string::npos) return null_value;
  const auto parent = record.find(field.substr(0, dot));
  if (parent == record.end() || !parent->is_object()) return null_value;
  const auto child = parent->find(field.substr(dot + 1));
  return child == parent->end() ? null_value : *child;
}

Record field_value(const Record& record, const std::string& field) { return field_ref(record, field); }

std::string cell_text(const Record& value) {
  switch (value.type()) {
    case Record::value_t::null:
      return {};
    case Record::value_t::string:
      return value.get_ref<const std::string&>();
    case Record::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Record::value_t::array: {
      // Lists of names (groups, members) read naturally as "admins,dev".
      std::string joined;
      const char* separator = "";
      for (const auto& element : value) {
        joined += separator;
        joined += cell_text(element);
        separator = ",";
      }
      return joined;
    }
    default:  // numbers and objects (attrs) as compact JSON
      return value.dump(-1, ' ', false, Record::error_handler_t::replace);
  }
}

std::string csv_cell(const std::string& text, char separator) {
  const std::string cell = util::looks_like_formula(text) ? "'" + text : text;
  const char special[] = {separator, '"', '\r', '\n', '\0'};
  if (cell.find_first_of(special) == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';  // RFC 4180: an inner quote is doubled
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace usersctl::output
