#include "store/postgres/pg_copy.hpp"

#include <charconv>

namespace usersctl::store::postgres {

void CopyRows::put_integer(std::int64_t value) {
  separate('\t');
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  text_.append(digits, end);
}

void CopyRows::put_text(std::string_view value) {
  separate('\t');
  // Only these four bytes need escaping in text format: the separators and the escape itself.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
    text_.append(value.data() + plain, i - plain);
    text_ += '\\';
    text_ += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
    plain = i + 1;
  }
  text_.append(value.data() + plain, value.size() - plain);
}

void CopyRows::put_null() {
  separate('\t');
  text_ += "\\N";
}

void CopyRows::end_row() {
  text_ += '\n';
  started_ = false;
}

}  // namespace usersctl::store::postgres
