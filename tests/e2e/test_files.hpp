#pragma once
// Files in end-to-end tests: reading and writing them whole, their modes, and the umask the
// children inherit.

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace usersctl::e2e {

// The whole file; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);
// Writes `content` (creating the parent folders); records a test failure when it cannot.
void write_file(const std::filesystem::path& path, const std::string& content);
// The permission bits (07777); records a test failure when the file is missing.
mode_t mode_of(const std::filesystem::path& path);

// Sets the process umask (inherited by the children) for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask);
  ~ScopedUmask();
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

}  // namespace usersctl::e2e
