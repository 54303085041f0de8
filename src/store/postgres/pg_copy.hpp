#pragma once
// Rows in COPY's text format (tab between columns, newline after a row, \N for NULL, backslash
// escapes), built for Connection::copy_in: the bulk import sends its users, memberships and
// events so, without the array literals and unnest() of an INSERT.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::store::postgres {

class CopyRows {
 public:
  CopyRows& add(std::int64_t value);
  CopyRows& add(std::string_view value);
  CopyRows& add(const std::string& value) { return add(std::string_view(value)); }
  CopyRows& add(const char* value) { return add(std::string_view(value)); }
  CopyRows& add(const std::optional<std::string>& value);
  CopyRows& add_null();
  // A record id where 0 means none (NULL), as the event rows keep it.
  CopyRows& add_id_or_null(std::int64_t id) { return id == 0 ? add_null() : add(id); }
  void end_row();

  bool empty() const { return text_.empty(); }
  std::string_view text() const { return text_; }
  void clear() { text_.clear(); }

 private:
  void separate();
  std::string text_;
  bool row_started_ = false;
};

}  // namespace usersctl::store::postgres
