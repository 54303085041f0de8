#pragma once
// A progress line on stderr for long work (import, export, apply), drawn only when stderr is
// a terminal (README.md, "Output"): pipes and logs never see it.

#include <chrono>
#include <cstdint>
#include <string>

namespace usersctl::output {

enum class ProgressDisplay { Off, Terminal };

// Off unless stderr is a terminal and the user did not ask for quiet.
ProgressDisplay progress_display(bool quiet);

class Progress {
 public:
  // `total` is in the same unit as update()'s `done` (bytes of input); 0 when unknown.
  Progress(ProgressDisplay display, std::string label, std::uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Cheap to call per record: redraws at most ten times a second.
  void update(std::uint64_t done, std::uint64_t records);
  // Draws the final state and ends the line.
  void finish();

 private:
  void draw(std::uint64_t done, std::uint64_t records);

  bool on_;
  std::string label_;
  std::uint64_t total_;
  std::uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point next_draw_{};
  std::uint64_t last_done_ = 0;
  std::uint64_t last_records_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
};

}  // namespace usersctl::output
