#pragma once
// The POSIX account options add and update share: --home, --shell, --primary-group | --gid, and
// --uid.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/posix_account.hpp"

namespace usersctl::cli {

class PosixOptions {
 public:
  // `uid_help` describes --uid for this command.
  void add_to(CLI::App* command, const std::string& uid_help);
  // What was given on the command line.
  core::PosixRequest request() const;

 private:
  std::int64_t uid_ = 0;
  std::int64_t gid_ = 0;
  std::string primary_group_;
  std::string home_;
  std::string shell_;
  CLI::Option* uid_option_ = nullptr;
  CLI::Option* gid_option_ = nullptr;
  CLI::Option* group_option_ = nullptr;
  CLI::Option* home_option_ = nullptr;
  CLI::Option* shell_option_ = nullptr;
};

}  // namespace usersctl::cli
