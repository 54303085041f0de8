// usersctl: builds the app, runs it, and maps every error to one line and an exit code.

#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/app.hpp"
#include "output/checked_stdout.hpp"
#include "output/display_text.hpp"
#include "util/errors.hpp"
#include "util/usersctl_version.hpp"

namespace {

// Error text may quote what the user typed (`show $'\e]0;...'`, invalid UTF-8, line breaks): keep
// it to one line, and keep control sequences away from the terminal, whatever it holds.
std::string one_line(std::string_view text) { return usersctl::output::terminal_safe(text); }

int report(const usersctl::Error& error) {
  // One line, so scripts can log it as one record; the hint rides along in brackets.
  std::cerr << "usersctl: error: " << one_line(error.what());
  if (!error.hint().empty()) std::cerr << " (" << one_line(error.hint()) << ")";
  std::cerr << '\n';
  return static_cast<int>(error.code());
}

// Flushes what the failed command printed, if anything; its own error is what counts.
void flush_quietly() {
  std::cout.flush();
  std::cout.clear();
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Every command's stdout goes through here and is checked once, after its last byte: a write
  // that failed anywhere (export > /dev/full) is exit 8, whichever command made it.
  usersctl::output::CheckedStdout out;
  try {
    // `usersctl --version` alone is what package checks and scripts run most: answer it before
    // the command tree is built (CLI11 sets up every subcommand's options first), so it costs
    // what a process start costs. The same text as the --version flag of cli/app.cpp.
    if (argc == 2 && std::string_view(argv[1]) == "--version") {
      std::cout << "usersctl " << usersctl::kVersion << '\n';
      out.finish();
      return 0;
    }
    const int code = usersctl::cli::run(argc, argv);
    out.finish();
    return code;
  } catch (const usersctl::Error& error) {
    flush_quietly();
    return report(error);
  } catch (const nlohmann::json::exception& error) {
    // Stored JSON that does not read back (a damaged event body): its id, never the text it quotes.
    flush_quietly();
    std::cerr << "usersctl: error: internal: unreadable JSON (nlohmann error " << error.id << ")\n";
    return static_cast<int>(usersctl::ExitCode::Internal);
  } catch (const std::exception& error) {
    flush_quietly();
    std::cerr << "usersctl: error: internal: " << one_line(error.what()) << '\n';
    return static_cast<int>(usersctl::ExitCode::Internal);
  }
}
