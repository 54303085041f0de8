// `list --after CURSOR`: the cursor comes back from the user (a script may mangle it), is decoded
// into a keyset position and run against an in-memory store. The first input line picks the sort
// (`FIELD[:desc]`), the rest is the cursor.

#include "core/user_fields.hpp"
#include "fuzz_input.hpp"
#include "memory_store.hpp"
#include "model/user_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = usersctl::fuzz::as_text(data, size);
  const auto newline = text.find('\n');
  std::string_view sort =
      newline == std::string_view::npos ? std::string_view("username") : text.substr(0, newline);
  const std::string_view cursor = newline == std::string_view::npos ? text : text.substr(newline + 1);
  usersctl::fuzz::refusing_is_fine([&] {
    usersctl::core::ListRequest request;
    if (sort.size() > 5 && sort.substr(sort.size() - 5) == ":desc") {
      request.order = usersctl::model::SortOrder::Descending;
      sort.remove_suffix(5);
    }
    request.sort = std::string(sort);
    request.limit = 2;
    request.after = std::string(cursor);
    const usersctl::model::UserQuery query = usersctl::core::parse_list_request(request);
    auto& store = usersctl::fuzz::memory_store();
    store.read([&] { store.records().list_users(query, [](const usersctl::model::User&) {}); });
  });
  return 0;
}
