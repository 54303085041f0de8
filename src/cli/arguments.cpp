#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command_setup.hpp"
#include "core/password.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

CLI::App* add_command_family(CLI::App& app, const std::string& name, const std::string& description,
                             const std::string& footer) {
  auto* family = app.add_subcommand(name, description);
  family->require_subcommand(1);
  family->footer(footer);
  return family;
}

std::vector<std::pair<std::string, std::string>> parse_key_values(const std::vector<std::string>& items,
                                                                  std::string_view option) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& item : items) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      // A filter (--where) that is malformed is a usage error, as an unknown filter field is
      // (exit 2, one rule for every bad filter); a bad --attr is bad input for the record (5).
      const std::string what = std::string(option) + " '" + item + "': expected KEY=VALUE";
      if (option == "--where") throw UsageError(what, "e.g. --where attrs.team=ops");
      throw Invalid(what);
    }
    pairs.emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  return pairs;
}

std::string read_password_from_stdin() {
  // Bounded: `cat /dev/zero | usersctl passwd alice --password-stdin` must fail, not fill memory.
  // A byte past the limit is enough for hash_password to refuse the length with its own message.
  constexpr std::size_t kMaxLine = core::kMaxPasswordBytes + 2;
  std::string line;
  bool ended = false;
  for (int c; line.size() <= kMaxLine && (c = std::cin.get()) != std::char_traits<char>::eof();) {
    if (c == '\n') {
      ended = true;
      break;
    }
    line.push_back(static_cast<char>(c));
  }
  if (!ended && line.empty()) throw Invalid("--password-stdin: no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace usersctl::cli
