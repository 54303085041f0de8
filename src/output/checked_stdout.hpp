#pragma once
// Standard output that notices a lost write. `usersctl export > /dev/full` (a full disk, a
// reader that went away while SIGPIPE is ignored) must not exit 0 with an empty backup: every
// write to fd 1 goes through FdWriteBuffer, which keeps the first errno, and main() checks it
// after the last flush (exit 8, ExitCode::OutputFailed).

#include <ostream>
#include <streambuf>
#include <vector>

namespace usersctl::output {

// A write-only streambuf over a file descriptor. After a failed write it writes nothing more
// and reports eof, so the stream sets badbit.
class FdWriteBuffer : public std::streambuf {
 public:
  explicit FdWriteBuffer(int fd);
  ~FdWriteBuffer() override;
  FdWriteBuffer(const FdWriteBuffer&) = delete;
  FdWriteBuffer& operator=(const FdWriteBuffer&) = delete;

  // 0 while every write succeeded, else the errno of the first one that failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  bool drain();
  bool write_all(const char* data, std::size_t size);

  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// Puts an FdWriteBuffer under std::cout for its lifetime (main's), then flushes and restores the
// original buffer, so nothing writes through a dead buffer at exit.
class CheckedStdout {
 public:
  CheckedStdout();
  ~CheckedStdout();
  CheckedStdout(const CheckedStdout&) = delete;
  CheckedStdout& operator=(const CheckedStdout&) = delete;

  // Flushes std::cout; throws OutputError (exit 8) when any write to stdout failed.
  void finish();

 private:
  FdWriteBuffer buffer_;
  std::streambuf* previous_;
};

// Throws OutputError when `out` can no longer be written (for loops that print a lot, so they
// stop at the first lost write instead of running on): naming errno when `out` is std::cout.
void check_output(std::ostream& out);

}  // namespace usersctl::output
