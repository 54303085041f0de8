#pragma once
// PostgreSQL array literals ('{"a","b",NULL}') for passing many rows as a few parameters:
// `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[])` loads a batch in one round trip.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::store::postgres {

class ArrayLiteral {
 public:
  ArrayLiteral& add(std::int64_t value);
  ArrayLiteral& add(std::string_view value);
  ArrayLiteral& add(const std::string& value) { return add(std::string_view(value)); }
  ArrayLiteral& add(const std::optional<std::string>& value);
  ArrayLiteral& add_null();
  std::string str() const { return text_ + "}"; }
  bool empty() const { return text_.size() == 1; }

 private:
  void separate();
  std::string text_ = "{";
};

}  // namespace usersctl::store::postgres
