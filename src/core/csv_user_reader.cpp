// CSV with a header row naming the record fields: username,name,email,uid,disabled,groups,
// password_hash, valid_from, expires_at and attrs.KEY (the columns `export --format csv` writes).

#include <charconv>
#include <iterator>
#include <set>

#include "core/csv_parser.hpp"
#include "core/user_reader.hpp"
#include "util/text.hpp"

namespace usersctl::core {

namespace {

enum class Column {
  Username,
  Name,
  Email,
  Uid,
  Gid,
  Home,
  Shell,
  Disabled,
  Groups,
  PasswordHash,
  ValidFrom,
  ExpiresAt,
  Attr,
  Ignored
};

struct ColumnSpec {
  Column kind;
  std::string attr_key;  // for Column::Attr
};

// The header name of each Column before Attr, in the enum's order.
constexpr const char* kColumnNames[] = {"username", "name",          "email",      "uid",
                                        "gid",      "home",          "shell",      "disabled",
                                        "groups",   "password_hash", "valid_from", "expires_at"};
static_assert(std::size(kColumnNames) == static_cast<std::size_t>(Column::Attr), "one name per named Column");

ColumnSpec column_spec(const std::string& header) {
  for (std::size_t i = 0; i < std::size(kColumnNames); ++i) {
    if (header == kColumnNames[i]) return {static_cast<Column>(i), {}};
  }
  if (header.rfind("attrs.", 0) == 0 && header.size() > 6) return {Column::Attr, header.substr(6)};
  if (header == "created_at" || header == "updated_at" || header == "created_by" || header == "updated_by" ||
      header == "version" || header == "password_changed_at") {
    return {Column::Ignored, {}};
  }
  throw Invalid("unknown column '" + header + "'",
                "columns: username,name,email,uid,gid,home,shell,disabled,groups,password_hash,valid_from,"
                "expires_at,attrs.KEY");
}

// Export writes a text cell that a spreadsheet would run as a formula with a leading quote
// (see output/csv_writer); reading takes it off again so export → import round-trips.
std::string unneutralised(std::string cell) {
  if (!cell.empty() && cell.front() == '\'' && util::looks_like_formula(std::string_view(cell).substr(1)))
    cell.erase(0, 1);
  return cell;
}

std::int64_t parse_id(const std::string& cell, const char* what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (error != std::errc() || end != cell.data() + cell.size()) {
    throw Invalid(std::string(what) + " '" + cell.substr(0, 32) + "' is not a whole number");
  }
  return value;
}

bool parse_bool(const std::string& cell) {
  if (cell == "true" || cell == "1" || cell == "yes") return true;
  if (cell == "false" || cell == "0" || cell == "no") return false;
  throw Invalid("disabled '" + cell.substr(0, 32) + "' is not true or false");
}

std::vector<std::string> split_groups(const std::string& cell) {
  std::vector<std::string> groups;
  std::size_t start = 0;
  while (start < cell.size()) {
    const std::size_t end = std::min(cell.find(',', start), cell.size());
    if (end > start) groups.push_back(cell.substr(start, end - start));
    start = end + 1;
  }
  return groups;
}

class CsvUserReader : public UserReader {
 public:
  CsvUserReader(std::istream& in, std::string label) : parser_(in, std::move(label)) {}

  bool next(UserInput& out) override {
    if (columns_.empty()) read_header();
    if (!parser_.next(fields_)) return false;
    out = UserInput{};
    out.line = parser_.record_line();
    if (fields_.size() != columns_.size()) {
      throw LineError(parser_.label(), out.line,
                      "has " + std::to_string(fields_.size()) + " fields, the header has " +
                          std::to_string(columns_.size()));
    }
    try {
      fill(out);
    } catch (const Invalid& problem) {
      throw LineError(parser_.label(), out.line, problem.what());
    }
    return true;
  }

  const std::string& label() const override { return parser_.label(); }
  std::uint64_t position() const override { return parser_.position(); }

 private:
  void read_header() {
    std::vector<std::string> header;
    try {
      if (!parser_.next(header))
        throw Invalid(parser_.label() + ": the file is empty", "a CSV import starts with a header row");
    } catch (const LineError& error) {
      throw Invalid(std::string(error.what()) + " (the header row)");
    }
    bool has_username = false;
    std::set<std::string> seen;
    for (const auto& name : header) {
      try {
        if (!seen.insert(name).second) throw Invalid("column '" + name + "' appears twice");
        columns_.push_back(column_spec(name));
      } catch (const Invalid& problem) {
        throw Invalid(
            parser_.label() + ": line " + std::to_string(parser_.record_line()) + ": " + problem.what(),
            problem.hint());
      }
      has_username = has_username || columns_.back().kind == Column::Username;
      has_attrs_ = has_attrs_ || columns_.back().kind == Column::Attr;
    }
    if (!has_username) {
      throw Invalid(parser_.label() + ": line 1: the header has no 'username' column");
    }
  }

  void fill(UserInput& out) {
    if (has_attrs_) out.attrs.emplace();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::string cell = unneutralised(std::move(fields_[i]));
      switch (columns_[i].kind) {
        case Column::Username:
          out.username = std::move(cell);
          break;
        case Column::Name:
          out.name = std::move(cell);
          break;
        case Column::Email:
          out.email = std::move(cell);
          break;
        case Column::Uid:
          if (!cell.empty()) out.uid = parse_id(cell, "uid");
          break;
        case Column::Gid:
          if (!cell.empty()) out.gid = parse_id(cell, "gid");
          break;
        case Column::Home:
          if (!cell.empty()) out.home = std::move(cell);
          break;
        case Column::Shell:
          if (!cell.empty()) out.shell = std::move(cell);
          break;
        case Column::Disabled:
          if (!cell.empty()) out.disabled = parse_bool(cell);
          break;
        case Column::Groups:
          out.groups = split_groups(cell);
          break;
        case Column::PasswordHash:
          if (!cell.empty()) out.password_hash = std::move(cell);
          break;
        case Column::ValidFrom:  // an empty cell: no bound
          out.valid_from = std::move(cell);
          break;
        case Column::ExpiresAt:
          out.expires_at = std::move(cell);
          break;
        case Column::Attr:
          // An empty cell is an attribute the user does not have (export writes it so).
          if (!cell.empty()) (*out.attrs)[columns_[i].attr_key] = std::move(cell);
          break;
        case Column::Ignored:
          break;
      }
    }
  }

  CsvParser parser_;
  std::vector<ColumnSpec> columns_;
  bool has_attrs_ = false;
  std::vector<std::string> fields_;
};

}  // namespace

std::unique_ptr<UserReader> make_csv_user_reader(std::istream& in, std::string label) {
  return std::make_unique<CsvUserReader>(in, std::move(label));
}

}  // namespace usersctl::core
