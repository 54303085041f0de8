#include "core/name_completion.hpp"

namespace usersctl::core {

void complete_names(store::Store& store, store::NameKind kind, std::string_view prefix, std::int64_t limit,
                    const std::function<void(const std::string&)>& sink) {
  store.read([&] { store.list_names(kind, prefix, limit, sink); });
}

}  // namespace usersctl::core
