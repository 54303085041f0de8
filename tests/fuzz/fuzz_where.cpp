// `list --where FIELD=VALUE` (repeatable; one item per input line), checked and then run against
// an in-memory SQLite store, so the SQL built from hostile fields and values is exercised too.

#include "cli/command_setup.hpp"
#include "core/user_fields.hpp"
#include "fuzz_input.hpp"
#include "memory_store.hpp"
#include "model/user_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto items = usersctl::fuzz::lines_of(usersctl::fuzz::as_text(data, size));
  usersctl::fuzz::refusing_is_fine([&] {
    usersctl::core::ListRequest request;
    request.where = usersctl::cli::parse_key_values(items, "--where");
    const usersctl::model::UserQuery query = usersctl::core::parse_list_request(request);
    auto& store = usersctl::fuzz::memory_store();
    store.read([&] { store.records().list_users(query, [](const usersctl::model::User&) {}); });
  });
  return 0;
}
