// usersctl: builds the app, runs it, and maps every error to one line and an exit code.

#include <exception>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "core/errors.hpp"

namespace {

// Error text may quote what the user typed; keep it to one line whatever it holds.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

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
