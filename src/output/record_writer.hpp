#pragma once
// Renders a stream of records (JSON objects with fields in display order) in one format.
// Writers stream: json/jsonl/csv/tsv hold one record at a time; only table buffers, since it
// must measure column widths (and is only the default on a terminal).

#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "output/format.hpp"

namespace usersctl::model {
struct User;
}  // namespace usersctl::model

namespace usersctl::output {

using Record = nlohmann::ordered_json;

struct WriterOptions {
  Format format = Format::Jsonl;
  Shape shape = Shape::Many;
  // --fields: the columns to show, in order. A name may be "attrs.KEY". Empty: the defaults below.
  std::vector<std::string> fields;
  // Columns for table output when --fields is empty (json/jsonl then print whole records,
  // csv/tsv print every top-level field of the first record).
  std::vector<std::string> table_columns;
  // --no-headers: table, csv and tsv print rows only.
  bool headers = true;
  // The terminal's width in columns for table output (0: no limit); long cells shrink to fit.
  std::size_t width = 0;
};

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual void write(const Record& record) = 0;
  // write(user_record(user)); a writer may print the user without building the record (jsonl of
  // whole records: a million-user listing's main cost).
  virtual void write_user(const model::User& user);
  // Ends the document (closes a json array, prints the table). Call once after the last record.
  virtual void finish() = 0;
};

// What the writers that take --fields share: the chosen fields (empty: whole records) and the
// stream they write to.
class FieldWriter : public RecordWriter {
 public:
  FieldWriter(const WriterOptions& options, std::ostream& out) : fields_(options.fields), out_(out) {}

 protected:
  std::vector<std::string> fields_;
  std::ostream& out_;
};

// The writer for options.shape: `One` for a single record (show), `Many` for a list.
template <class One, class Many>
std::unique_ptr<RecordWriter> make_shaped_writer(const WriterOptions& options, std::ostream& out) {
  if (options.shape == Shape::One) return std::make_unique<One>(options, out);
  return std::make_unique<Many>(options, out);
}

std::unique_ptr<RecordWriter> make_writer(const WriterOptions& options, std::ostream& out);

// Helpers shared by the writers (and tested on their own).
// The value at a field path: "username", or "attrs.KEY" inside the attrs object; null if absent.
Record field_value(const Record& record, const std::string& field);
// As field_value, without the copy (writers call it per cell): a reference into `record`, or to a
// static null when absent. Valid as long as `record` is.
const Record& field_ref(const Record& record, const std::string& field);
// A field value as cell text: strings as-is, arrays joined with ",", objects as compact JSON,
// null as empty.
std::string cell_text(const Record& value);
// RFC 4180 field with spreadsheet formula neutralising (a leading = + - @, tab or CR gets a ' before
// it, as OWASP advises). For text only: numbers go out as they are, so -5 stays -5.
std::string csv_cell(const std::string& text, char separator);

}  // namespace usersctl::output
