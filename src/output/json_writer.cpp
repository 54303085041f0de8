#include "output/json_writer.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "model/records.hpp"
#include "model/user_json.hpp"
#include "output/checked_stdout.hpp"
#include "output/compact_json.hpp"

namespace usersctl::output {

namespace {

// Records are valid UTF-8 by validation; replacing bad bytes still means output can never throw.
std::string dump(const Record& value, int indent) {
  return value.dump(indent, ' ', false, Record::error_handler_t::replace);
}

// The record as shown: whole, or only the --fields in their order (missing ones as null).
std::string render(const Record& record, const std::vector<std::string>& fields, int indent) {
  if (fields.empty()) return dump(record, indent);
  Record selected = Record::object();
  for (const auto& field : fields) selected[field] = field_ref(record, field);
  return dump(selected, indent);
}

// Shifts a pretty-printed element one level in, as it sits inside the array. JSON strings
// escape their line breaks, so every raw '\n' is a line of the layout.
std::string indented(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

// No writer flushes per record: a million-line export would pay a write(2) each. The caller flushes.

class JsonlWriter final : public FieldWriter {
 public:
  using FieldWriter::FieldWriter;
  void write(const Record& record) override {
    line_.clear();  // reused: no allocation per record once it has grown
    if (fields_.empty()) {
      append_compact_json(line_, record);
    } else {
      Record selected = Record::object();
      for (const auto& field : fields_) selected[field] = field_ref(record, field);
      append_compact_json(line_, selected);
    }
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    check_output(out_);  // a lost write stops a long export at once (exit 8)
  }
  void write_user(const model::User& user) override {
    line_.clear();
    if (!fields_.empty() || !model::append_user_json(line_, user)) return write(model::user_record(user));
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    check_output(out_);
  }
  void finish() override {}

 private:
  std::string line_;
};

// One record, one document. Should a caller write more, each is its own document, as jq reads.
class JsonObjectWriter final : public FieldWriter {
 public:
  using FieldWriter::FieldWriter;
  void write(const Record& record) override { out_ << render(record, fields_, 2) << '\n'; }
  void finish() override {}
};

class JsonArrayWriter final : public FieldWriter {
 public:
  using FieldWriter::FieldWriter;
  void write(const Record& record) override {
    out_ << (empty_ ? "[\n" : ",\n") << indented(render(record, fields_, 2));
    empty_ = false;
  }
  void finish() override { out_ << (empty_ ? "[]\n" : "\n]\n"); }

 private:
  bool empty_ = true;
};

}  // namespace

std::unique_ptr<RecordWriter> make_json_writer(const WriterOptions& options, std::ostream& out) {
  return make_shaped_writer<JsonObjectWriter, JsonArrayWriter>(options, out);
}

std::unique_ptr<RecordWriter> make_jsonl_writer(const WriterOptions& options, std::ostream& out) {
  return std::make_unique<JsonlWriter>(options, out);
}

}  // namespace usersctl::output
