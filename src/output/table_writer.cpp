#include "output/table_writer.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "output/display_text.hpp"

namespace usersctl::output {

namespace {

// Long cells (a wordy display name) would push every later column off a terminal line.
constexpr std::size_t kMaxCellWidth = 40;
constexpr std::string_view kColumnGap = "  ";
// A column shrunk to fit the terminal keeps at least this many columns ("ab…").
constexpr std::size_t kMinCellWidth = 3;

std::vector<std::string> top_level_keys(const Record& record) {
  std::vector<std::string> keys;
  for (const auto& item : record.items()) keys.push_back(item.key());
  return keys;
}

std::string upper_case(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// Pads with spaces to `width` terminal columns.
std::string padded(std::string text, std::size_t width) {
  const std::size_t shown = display_width(text);
  if (shown < width) text.append(width - shown, ' ');
  return text;
}

// Padding for alignment must not leave spaces at the end of a line.
void write_line(std::ostream& out, std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << '\n';
}

class TableListWriter final : public RecordWriter {
 public:
  TableListWriter(const WriterOptions& options, std::ostream& out)
      : columns_(options.fields.empty() ? options.table_columns : options.fields),
        out_(out),
        headers_(options.headers),
        width_(options.width) {}

  void write(const Record& record) override {
    if (columns_.empty()) columns_ = top_level_keys(record);
    std::vector<std::string> row;
    row.reserve(columns_.size());
    for (const auto& column : columns_) {
      row.push_back(truncate_to_width(terminal_safe(cell_text(field_ref(record, column))), kMaxCellWidth));
    }
    rows_.push_back(std::move(row));
  }

  void finish() override {
    if (rows_.empty()) return;  // no header over nothing: empty output, exit 0
    std::vector<std::string> header;
    for (const auto& column : columns_) header.push_back(upper_case(terminal_safe(column)));
    std::vector<std::size_t> widths =
        column_widths(headers_ ? header : std::vector<std::string>(header.size()));
    if (width_ > 0) fit(widths);
    if (headers_) write_row(header, widths);
    for (const auto& row : rows_) write_row(row, widths);
  }

 private:
  // Narrows the widest columns, one terminal column at a time, until the line fits the terminal
  // (or every column is at its minimum): a wrapped table is unreadable, a cut cell still says
  // which record it is.
  void fit(std::vector<std::size_t>& widths) const {
    std::size_t total = kColumnGap.size() * (widths.empty() ? 0 : widths.size() - 1);
    for (const auto w : widths) total += w;
    while (total > width_) {
      const auto widest = std::max_element(widths.begin(), widths.end());
      if (widest == widths.end() || *widest <= kMinCellWidth) return;
      --*widest;
      --total;
    }
  }

  std::vector<std::size_t> column_widths(const std::vector<std::string>& header) const {
    std::vector<std::size_t> widths;
    for (const auto& name : header) widths.push_back(display_width(name));
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
    }
    return widths;
  }

  void write_row(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += kColumnGap;
      line += padded(truncate_to_width(cells[i], widths[i]), widths[i]);
    }
    write_line(out_, std::move(line));
  }

  std::vector<std::string> columns_;
  std::ostream& out_;
  bool headers_;
  std::size_t width_;
  std::vector<std::vector<std::string>> rows_;
};

// One record as "key: value" lines; values are not truncated, a single record has room.
class TableRecordWriter final : public FieldWriter {
 public:
  using FieldWriter::FieldWriter;

  void write(const Record& record) override {
    if (written_) out_ << '\n';  // should a caller write several, a blank line parts them
    written_ = true;
    const std::vector<std::string> keys = fields_.empty() ? top_level_keys(record) : fields_;
    std::size_t width = 0;
    for (const auto& key : keys) width = std::max(width, display_width(terminal_safe(key)) + 1);
    for (const auto& key : keys) {
      const std::string label = padded(terminal_safe(key) + ":", width);
      write_line(out_, label + " " + terminal_safe(cell_text(field_ref(record, key))));
    }
  }

  void finish() override {}

 private:
  bool written_ = false;
};

}  // namespace

std::unique_ptr<RecordWriter> make_table_writer(const WriterOptions& options, std::ostream& out) {
  return make_shaped_writer<TableRecordWriter, TableListWriter>(options, out);
}

}  // namespace usersctl::output
