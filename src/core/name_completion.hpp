#pragma once
// Names for shell completion: the users or groups whose names start with what has been typed.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace usersctl::core {

// Most names one completion request returns: a shell offers no more than this usefully.
inline constexpr std::int64_t kCompletionLimit = 1000;

// Passes up to `limit` names of `kind` that start with `prefix` to `sink`, in byte order, from one
// snapshot. An index range scan: as fast on 100,000 users as on ten.
void complete_names(store::Store& store, store::NameKind kind, std::string_view prefix, std::int64_t limit,
                    const std::function<void(const std::string&)>& sink);

}  // namespace usersctl::core
