#include "store/postgres/pg_arrays.hpp"

namespace usersctl::store::postgres {

void ArrayLiteral::separate() {
  if (text_.size() > 1) text_ += ',';
}

ArrayLiteral& ArrayLiteral::add(std::int64_t value) {
  separate();
  text_ += std::to_string(value);
  return *this;
}

ArrayLiteral& ArrayLiteral::add(std::string_view value) {
  // Every element quoted, so that NULL, empty strings, spaces and braces read back as written.
  separate();
  text_ += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') text_ += '\\';
    text_ += c;
  }
  text_ += '"';
  return *this;
}

ArrayLiteral& ArrayLiteral::add(const std::optional<std::string>& value) {
  return value ? add(std::string_view(*value)) : add_null();
}

ArrayLiteral& ArrayLiteral::add_null() {
  separate();
  text_ += "NULL";
  return *this;
}

}  // namespace usersctl::store::postgres
