#include "cli/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void write_failed(const std::string& path, int error) {
  throw OutputError("cannot write '" + path + "': " + std::strerror(error != 0 ? error : EIO),
                    "the export was not saved; the file is as it was");
}

}  // namespace

AtomicOutput::AtomicOutput(std::string path) : path_(std::move(path)) {
  const auto slash = path_.rfind('/');
  const std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (name.empty()) throw UsageError("--output '" + path_ + "': names a folder, not a file");
  temp_ = folder_of(path_) + "/." + name + ".usersctl-XXXXXX";
  fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);  // mode 0600
  if (fd_ < 0) {
    throw Unavailable("cannot create a file beside '" + path_ + "': " + std::strerror(errno));
  }
  buffer_ = std::make_unique<output::FdWriteBuffer>(fd_);
  stream_.rdbuf(buffer_.get());
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
}

void AtomicOutput::commit() {
  stream_.flush();
  if (buffer_->error() != 0 || !stream_) write_failed(path_, buffer_->error());
  if (::fsync(fd_) != 0) write_failed(path_, errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0 || ::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp_.c_str());
    write_failed(path_, error);
  }
  // The rename itself must survive a crash too.
  const int dir = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace usersctl::cli
