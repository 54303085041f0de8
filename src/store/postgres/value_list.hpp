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

// A ValueList written into one text, each value after a separator unless it comes first (a comma
// between the elements of an array literal, a tab between the columns of a COPY row).
template <class List>
class SeparatedText : public ValueList<List> {
 protected:
  void separate(char separator) {
    if (started_) text_ += separator;
    started_ = true;
  }
  std::string text_;
  bool started_ = false;  // a value is in the text (of this row, for COPY)
};

}  // namespace usersctl::store::postgres
