// usersctl: builds the app, runs it, and maps every error to one line and an exit code.

#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/app.hpp"
#include "output/display_text.hpp"
#include "util/errors.hpp"

namespace {

// Error text may quote what the user typed (`show $'\e]0;...'`, invalid UTF-8, line breaks): keep
// it to one line, and keep control sequences away from the terminal, whatever it holds.
std::string one_line(std::string_view text) { return usersctl::output::terminal_safe(text); }

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    const int code = usersctl::cli::run(argc, argv);
    std::cout.flush();
    return code;
  } catch (const usersctl::Error& error) {
    std::cout.flush();
    // One line, so scripts can log it as one record; the hint rides along in brackets.
    std::cerr << "usersctl: error: " << one_line(error.what());
    if (!error.hint().empty()) std::cerr << " (" << one_line(error.hint()) << ")";
    std::cerr << '\n';
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    std::cout.flush();
    std::cerr << "usersctl: error: internal: " << one_line(error.what()) << '\n';
    return static_cast<int>(usersctl::ExitCode::Internal);
  }
}
