#pragma once
// `export --output FILE`: a backup that is either whole or absent. The records go to a temporary
// file beside FILE (same folder, so the rename cannot cross filesystems), created 0600 like the
// database; only a complete export is fsynced and renamed over FILE. A failure midway (a damaged
// page, a dropped connection, a full disk) removes the temporary file and leaves FILE as it was.

#include <memory>
#include <ostream>
#include <string>

#include "output/checked_stdout.hpp"

namespace usersctl::cli {

class AtomicOutput {
 public:
  // Throws Unavailable when the temporary file cannot be created.
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();  // without commit(): the temporary file is removed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  std::ostream& stream() { return stream_; }
  // Flushes, fsyncs and renames the temporary file to FILE, then fsyncs the folder. Throws
  // OutputError when any write failed (FILE is then untouched).
  void commit();

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  std::unique_ptr<output::FdWriteBuffer> buffer_;
  std::ostream stream_{nullptr};
};

}  // namespace usersctl::cli
