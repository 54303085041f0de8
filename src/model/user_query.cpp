#include "model/user_query.hpp"

#include <iterator>

namespace usersctl::model {

namespace {

// Indexed by UserField: the names `--where`, `--sort` and the list cursor use, and the columns.
constexpr const char* kUserFieldNames[] = {"username",   "uid",        "name",       "email",   "created_at",
                                           "updated_at", "created_by", "updated_by", "disabled"};
static_assert(std::size(kUserFieldNames) == static_cast<std::size_t>(UserField::Disabled) + 1,
              "kUserFieldNames must name every UserField in the enum's order");

}  // namespace

const char* user_field_name(UserField field) { return kUserFieldNames[static_cast<std::size_t>(field)]; }

}  // namespace usersctl::model
