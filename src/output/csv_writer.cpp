#include "output/csv_writer.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "output/checked_stdout.hpp"

namespace usersctl::output {

namespace {

// Rows end in "\n", not RFC 4180's "\r\n": that is what csvkit, sqlite3 -csv and Python's csv
// module (with the unix dialect) print on Unix, and what line-based tools (wc, grep) expect.
constexpr char kLineEnd = '\n';

class CsvWriter final : public RecordWriter {
 public:
  CsvWriter(const WriterOptions& options, std::ostream& out, char separator)
      : columns_(options.fields), out_(out), separator_(separator), headers_(options.headers) {}

  void write(const Record& record) override {
    if (!header_written_) {
      if (columns_.empty()) columns_ = top_level_keys(record);
      write_header();
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out_ << separator_;
      out_ << cell(field_ref(record, columns_[i]));
    }
    out_ << kLineEnd;
    check_output(out_);  // a lost write stops a long export at once (exit 8)
  }

  // An empty result prints nothing, as in every streaming format: `[ -s out.csv ]` then
  // tells a script whether anything matched.
  void finish() override {}

 private:
  static std::vector<std::string> top_level_keys(const Record& record) {
    std::vector<std::string> keys;
    for (const auto& item : record.items()) keys.push_back(item.key());
    return keys;
  }

  void write_header() {
    header_written_ = true;
    if (!headers_) return;  // --no-headers: rows only
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out_ << separator_;
      out_ << csv_cell(columns_[i], separator_);
    }
    out_ << kLineEnd;
  }

  // Numbers, booleans and null never hold a separator or quote, and -5 is data, not a formula,
  // so only text goes through quoting and formula neutralising.
  std::string cell(const Record& value) const {
    if (value.is_number() || value.is_boolean() || value.is_null()) return cell_text(value);
    if (value.is_string()) return csv_cell(value.get_ref<const std::string&>(), separator_);  // no copy
    return csv_cell(cell_text(value), separator_);
  }

  std::vector<std::string> columns_;
  std::ostream& out_;
  char separator_;
  bool headers_;
  bool header_written_ = false;
};

}  // namespace

std::unique_ptr<RecordWriter> make_csv_writer(const WriterOptions& options, std::ostream& out,
                                              char separator) {
  return std::make_unique<CsvWriter>(options, out, separator);
}

}  // namespace usersctl::output
