#pragma once
// The one set of add() overloads for the three ways values reach PostgreSQL as text: statement
// parameters (Params), array literals (ArrayLiteral) and COPY rows (CopyRows). Each of them says
// only how a number, a text and a NULL are written (put_integer, put_text, put_null); the
// conversions between the caller's types are here once, so the three accept exactly the same values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::store::postgres {

template <class List>
class ValueList {
 public:
  List& add(std::int64_t value) {
    self().put_integer(value);
    return self();
  }
  List& add(std::string_view value) {
    self().put_text(value);
    return self();
  }
  List& add(const std::string& value) { return add(std::string_view(value)); }
  List& add(const char* value) { return add(std::string_view(value)); }
  List& add(const std::optional<std::string>& value) {
    return value ? add(std::string_view(*value)) : add_null();
  }
  List& add_null() {
    self().put_null();
    return self();
  }
  // Each value in order, as add() takes it: the parameters of a statement in one call.
  template <class... Values>
  List& add_all(const Values&... values) {
    (add(values), ...);
    return self();
  }

 private:
  List& self() { return static_cast<List&>(*this); }
};

}  // namespace usersctl::store::postgres
