#include "model/user_query.hpp"

namespace usersctl::model {

const char* user_field_name(UserField field) {
  switch (field) {
    case UserField::Username:
      return "username";
    case UserField::Uid:
      return "uid";
    case UserField::Name:
      return "name";
    case UserField::Email:
      return "email";
    case UserField::CreatedAt:
      return "created_at";
    case UserField::UpdatedAt:
      return "updated_at";
    case UserField::CreatedBy:
      return "created_by";
    case UserField::UpdatedBy:
      return "updated_by";
    case UserField::Disabled:
      return "disabled";
  }
  return "unknown";
}

}  // namespace usersctl::model
