#pragma once
// Shared by the fuzz targets (tests/fuzz/fuzz_<name>.cpp, one LLVMFuzzerTestOneInput each).
//
// A typed usersctl::Error is how a parser refuses bad input: an expected outcome, not a finding (but an
// InternalError, exit 1, is one).
// Anything else that escapes (std::out_of_range, a json exception, ...) reaches std::terminate,
// which libFuzzer and the replay driver report as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "util/errors.hpp"

namespace usersctl::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input split at '\n' (a fuzzer-friendly way to pass several option values at once).
inline std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Runs `work`; a usersctl::Error (bad input refused with its exit code) is fine, except an
// InternalError: exit 1 means a bug, so it is a finding like a crash.
template <typename Work>
void refusing_is_fine(Work&& work) {
  try {
    work();
  } catch (const usersctl::Error& error) {
    if (error.code() == usersctl::ExitCode::Internal) {
      std::fprintf(stderr, "internal error (a bug): %s\n", error.what());
      std::abort();
    }
  }
}

}  // namespace usersctl::fuzz

// The libFuzzer entry point every target defines.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
