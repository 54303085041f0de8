#include "core/bulk/input_rules.hpp"

#include <algorithm>

#include "core/account_window.hpp"
#include "core/field_change.hpp"
#include "core/password.hpp"
#include "core/posix_input.hpp"
#include "core/validation.hpp"

namespace usersctl::core::bulk {

void validate_input(const UserInput& in) {
  validate_name(in.username, "user name");
  if (in.email && !in.email->empty()) validate_email(*in.email);
  if (in.name) validate_display_name(*in.name);
  if (in.attrs) validate_attrs(*in.attrs);
  if (in.uid) validate_id(*in.uid, "uid");
  if (in.groups) {
    for (const auto& group : *in.groups) validate_name(group, "group name");
  }
  if (in.password_hash) validate_password_hash(*in.password_hash);
  validate_posix_input(in);
}

namespace {

void normalise_bound(std::optional<std::string>& field, const char* name) {
  if (!field) return;
  try {
    field = parse_window_bound(*field, name).value_or("");
  } catch (const UsageError& error) {
    throw Invalid(error.what());
  }
}

}  // namespace

void normalise_window(UserInput& in) {
  normalise_bound(in.valid_from, "valid_from");
  normalise_bound(in.expires_at, "expires_at");
  normalise_bound(in.password_changed_at, "password_changed_at");
}

void apply_window_fields(model::User& user, const UserInput& in, std::vector<std::string>& changed) {
  if (in.valid_from) change_field(user.valid_from, empty_as_none(in.valid_from), "valid_from", changed);
  if (in.expires_at) change_field(user.expires_at, empty_as_none(in.expires_at), "expires_at", changed);
  // Not a change of its own: it goes with the password.
  if (in.password_changed_at) user.password_changed_at = empty_as_none(in.password_changed_at);
}

std::vector<std::string> apply_record_fields(model::User& user, const UserInput& in) {
  std::vector<std::string> changed;
  if (in.name) change_field(user.name, *in.name, "name", changed);
  if (in.email) change_field(user.email, empty_as_none(in.email), "email", changed);
  if (in.uid) change_field(user.uid, *in.uid, "uid", changed);
  return changed;
}

void apply_state_fields(model::User& user, const UserInput& in, std::vector<std::string>& changed) {
  if (in.attrs) change_field(user.attrs, *in.attrs, "attrs", changed);
  if (in.disabled) change_field(user.disabled, *in.disabled, "disabled", changed);
}

}  // namespace usersctl::core::bulk
