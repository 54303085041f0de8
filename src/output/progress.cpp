#include "output/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "output/terminal.hpp"

namespace usersctl::output {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;
}  // namespace

ProgressDisplay progress_display(bool quiet) {
  return !quiet && is_terminal(STDERR_FILENO) ? ProgressDisplay::Terminal : ProgressDisplay::Off;
}

Progress::Progress(ProgressDisplay display, std::string label, std::uint64_t total)
    : on_(display == ProgressDisplay::Terminal), label_(std::move(label)), total_(total) {}

// On failure the bar stops where it was; the error goes on the next line.
Progress::~Progress() {
  if (drawn_ && !finished_) std::fputs("\n", stderr);
}

void Progress::update(std::uint64_t done, std::uint64_t records) {
  // Reading the clock for every one of a million records would cost more than the bar.
  last_done_ = done;
  last_records_ = records;
  if (!on_ || (++calls_ & 0xFF) != 1) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_draw_) return;
  next_draw_ = now + kRedrawInterval;
  draw(done, records);
}

void Progress::draw(std::uint64_t done, std::uint64_t records) {
  if (total_ > 0) {
    const double fraction = done >= total_ ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
    const int filled = static_cast<int>(fraction * kBarWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::fprintf(stderr, "\rusersctl: %s [%s] %3d%% %llu records", label_.c_str(), bar.c_str(),
                 static_cast<int>(fraction * 100), static_cast<unsigned long long>(records));
  } else {
    std::fprintf(stderr, "\rusersctl: %s %llu records", label_.c_str(), static_cast<unsigned long long>(records));
  }
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!on_ || finished_) return;
  finished_ = true;
  draw(total_ > 0 ? total_ : last_done_, last_records_);  // the bar as it ends, left on screen
  std::fputs("\n", stderr);
  std::fflush(stderr);
}

}  // namespace usersctl::output
