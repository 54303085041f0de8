#include "core/csv_parser.hpp"

#include "core/user_reader.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

bool CsvParser::next(std::vector<std::string>& fields) {
  while (source_.next(line_)) {
    // Excel's "CSV UTF-8" starts with a byte order mark; it is no part of the first header name.
    if (source_.line_number() == 1 && line_.rfind("\xEF\xBB\xBF", 0) == 0) line_.erase(0, 3);
    if (line_.empty()) continue;
    record_line_ = source_.line_number();
    fields.clear();
    std::string problem = split(fields);
    if (!problem.empty()) throw LineError(source_.label(), record_line_, problem);
    return true;
  }
  return false;
}

std::string CsvParser::split(std::vector<std::string>& fields) {
  std::string problem;
  if (auto bad = source_.text_problem(line_)) problem = *bad;
  std::string field;
  std::size_t i = 0;
  std::size_t record_bytes = line_.size();
  while (true) {
    field.clear();
    if (i < line_.size() && line_[i] == '"') {
      ++i;
      while (true) {
        if (i == line_.size()) {
          // The quoted field goes on on the next line, which the record includes.
          std::string more;
          if (!source_.next(more)) return "a quoted field is not closed before the end of the file";
          // A record of many lines is held whole: the line limit applies to it too.
          record_bytes += more.size() + 1;
          if (record_bytes > kMaxLineBytes) {
            throw Invalid(source_.label() + ": line " + std::to_string(record_line_) +
                          ": the record is longer than " + std::to_string(kMaxLineBytes >> 20) +
                          " MiB; nothing was read past it");
          }
          if (auto bad = source_.text_problem(more); bad && problem.empty()) problem = *bad;
          field += '\n';
          line_ = std::move(more);
          i = 0;
          continue;
        }
        const char c = line_[i++];
        if (c != '"') {
          field += c;
        } else if (i < line_.size() && line_[i] == '"') {
          field += '"';
          ++i;
        } else {
          break;
        }
      }
      if (i < line_.size() && line_[i] != ',' && problem.empty()) {
        problem = "characters after the closing quote of field " + std::to_string(fields.size() + 1);
      }
      while (i < line_.size() && line_[i] != ',') ++i;
    } else {
      const std::size_t end = std::min(line_.find(',', i), line_.size());
      field.assign(line_, i, end - i);
      if (field.find('"') != std::string::npos && problem.empty()) {
        problem = "a quote inside unquoted field " + std::to_string(fields.size() + 1) +
                  " (quote the field and double inner quotes)";
      }
      i = end;
    }
    fields.push_back(field);
    if (i >= line_.size()) break;
    ++i;  // the comma
  }
  return problem;
}

}  // namespace usersctl::core
