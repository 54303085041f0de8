#pragma once
// PostgreSQL array literals ('{"a","b",NULL}') for passing many rows as a few parameters:
// `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[])` loads a batch in one round trip.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/postgres/value_list.hpp"

namespace usersctl::store::postgres {

class ArrayLiteral : public SeparatedText<ArrayLiteral> {
 public:
  std::string str() const { return "{" + text_ + "}"; }
  bool empty() const { return !started_; }

 private:
  friend ValueList<ArrayLiteral>;
  void put_integer(std::int64_t value);
  void put_text(std::string_view value);
  void put_null();
};

}  // namespace usersctl::store::postgres
