#include "output/checked_stdout.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "util/errors.hpp"

namespace usersctl::output {

namespace {

constexpr std::size_t kBufferSize = 64 * 1024;

[[noreturn]] void throw_output_error(int error) {
  const std::string why = error != 0 ? std::string(": ") + std::strerror(error) : std::string();
  throw OutputError("output could not be written" + why, "what was printed is incomplete");
}

}  // namespace

FdWriteBuffer::FdWriteBuffer(int fd) : fd_(fd), buffer_(kBufferSize) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

FdWriteBuffer::~FdWriteBuffer() = default;  // CheckedStdout flushes; a destructor cannot report

bool FdWriteBuffer::write_all(const char* data, std::size_t size) {
  while (size > 0 && error_ == 0) {
    const ssize_t written = ::write(fd_, data, size);
    if (written > 0) {
      data += written;
      size -= static_cast<std::size_t>(written);
    } else if (written < 0 && errno == EINTR) {
      continue;
    } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A non-blocking stdout (some parents hand one down): wait until it takes more.
      pollfd ready{fd_, POLLOUT, 0};
      if (::poll(&ready, 1, -1) < 0 && errno != EINTR) error_ = errno;
    } else {
      error_ = written < 0 ? errno : EIO;
    }
  }
  return error_ == 0;
}

bool FdWriteBuffer::drain() {
  const auto pending = static_cast<std::size_t>(pptr() - pbase());
  const bool ok = write_all(pbase(), pending);
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return ok;
}

FdWriteBuffer::int_type FdWriteBuffer::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize FdWriteBuffer::xsputn(const char* data, std::streamsize size) {
  if (error_ != 0) return 0;
  const auto count = static_cast<std::size_t>(size);
  if (count <= static_cast<std::size_t>(epptr() - pptr())) {
    std::memcpy(pptr(), data, count);
    pbump(static_cast<int>(count));
    return size;
  }
  // Larger than the room left: send what is buffered, then this directly.
  if (!drain() || !write_all(data, count)) return 0;
  return size;
}

int FdWriteBuffer::sync() { return drain() ? 0 : -1; }

CheckedStdout::CheckedStdout() : buffer_(STDOUT_FILENO), previous_(std::cout.rdbuf(&buffer_)) {}

CheckedStdout::~CheckedStdout() {
  std::cout.flush();
  std::cout.rdbuf(previous_);
}

void CheckedStdout::finish() {
  std::cout.flush();
  if (buffer_.error() != 0 || !std::cout) throw_output_error(buffer_.error());
}

void check_output(std::ostream& out) {
  if (out) return;
  const auto* fd_buffer = dynamic_cast<const FdWriteBuffer*>(out.rdbuf());
  throw_output_error(fd_buffer ? fd_buffer->error() : 0);
}

}  // namespace usersctl::output
