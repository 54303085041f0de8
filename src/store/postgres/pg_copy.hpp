#pragma once
// Rows in COPY's text format (tab between columns, newline after a row, \N for NULL, backslash
// escapes), built for Connection::copy_in: the bulk import sends its users, memberships and
// events so, without the array literals and unnest() of an INSERT.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/postgres/value_list.hpp"

namespace usersctl::store::postgres {

class CopyRows : public SeparatedText<CopyRows> {
 public:
  // A record id where 0 means none (NULL), as the event rows keep it.
  CopyRows& add_id_or_null(std::int64_t id) { return id == 0 ? add_null() : add(id); }
  void end_row();

  bool empty() const { return text_.empty(); }
  std::string_view text() const { return text_; }
  void clear() { text_.clear(); }

 private:
  friend ValueList<CopyRows>;
  void put_integer(std::int64_t value);
  void put_text(std::string_view value);
  void put_null();
};

}  // namespace usersctl::store::postgres
