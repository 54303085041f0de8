// Replays inputs through one fuzz target without libFuzzer, so kept crash inputs
// (tests/fuzz/regressions/<name>/) and the seed corpus run in every ordinary build:
//
//   usersctl_fuzz_replay_<name> FILE_OR_DIR...
//
// Exit 0 when every input ran; a crash aborts (and the sanitizers say where in their builds).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_input.hpp"

namespace {

namespace fs = std::filesystem;

void replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path path(argv[i]);
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().filename() != ".gitkeep") {
          replay(entry.path());
          ++count;
        }
      }
    } else if (fs::is_regular_file(path)) {
      replay(path);
      ++count;
    } else {
      std::fprintf(stderr, "usersctl_fuzz_replay: no such file or folder: %s\n", path.c_str());
      return 2;
    }
  }
  std::fprintf(stderr, "replayed %zu input(s)\n", count);
  return 0;
}
