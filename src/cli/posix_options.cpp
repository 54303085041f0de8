#include "cli/posix_options.hpp"

#include "cli/numeric_option.hpp"

namespace usersctl::cli {

void PosixOptions::add_to(CLI::App* command, const std::string& uid_help) {
  uid_option_ = decimal_id(command->add_option("--uid", uid_, uid_help));
  home_option_ =
      command->add_option("--home", home_, "Home folder (default: HOME_BASE/USER)")->type_name("PATH");
  shell_option_ = command->add_option("--shell", shell_, "Login shell (default: the default_shell setting)")
                      ->type_name("PATH");
  group_option_ = command
                      ->add_option("--primary-group", primary_group_,
                                   "Primary group: an existing group (default: the "
                                   "user private group, gid = uid)")
                      ->type_name("G");
  gid_option_ = decimal_id(command->add_option("--gid", gid_,
                                               "Primary gid: an existing group's, or the user's own uid"))
                    ->excludes(group_option_);
}

core::PosixRequest PosixOptions::request() const {
  core::PosixRequest request;
  if (uid_option_->count() > 0) request.uid = uid_;
  if (gid_option_->count() > 0) request.gid = gid_;
  if (group_option_->count() > 0) request.primary_group = primary_group_;
  if (home_option_->count() > 0) request.home = home_;
  if (shell_option_->count() > 0) request.shell = shell_;
  return request;
}

}  // namespace usersctl::cli
