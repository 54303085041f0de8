#include "store/postgres/pg_arrays.hpp"

namespace usersctl::store::postgres {

void ArrayLiteral::put_integer(std::int64_t value) {
  separate(',');
  text_ += std::to_string(value);
}

void ArrayLiteral::put_text(std::string_view value) {
  // Every element quoted, so that NULL, empty strings, spaces and braces read back as written.
  separate(',');
  text_ += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') text_ += '\\';
    text_ += c;
  }
  text_ += '"';
}

void ArrayLiteral::put_null() {
  separate(',');
  text_ += "NULL";
}

}  // namespace usersctl::store::postgres
