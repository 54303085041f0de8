#pragma once
// Delivers events to an exec hook: `/bin/sh -c COMMAND` with the events as JSON Lines on its stdin.
// The only translation unit that includes Boost.Process (heavy to compile).

#include <chrono>
#include <string>

#include "model/delivery.hpp"

namespace usersctl::events {

// Runs `/bin/sh -c command`, writes `jsonl` to its stdin and closes it, and waits up to `timeout`.
// The command's stdout goes to our stderr (our stdout carries data); its stderr is ours.
// Exit 0 → Delivered; non-zero → Retry "exit status N"; killed by a signal → Retry; past the timeout
// the command's process group is killed → Retry "timed out after …"; cannot start → Retry with why.
// A command that exits without reading its stdin is fine (no SIGPIPE reaches us). Never throws for what
// the command does. The command runs in its own process group, with default SIGPIPE and an empty
// signal mask, and inherits no descriptors but 0, 1 and 2 (where close_range(2) can mark the others
// close-on-exec: Linux >= 5.11).
// Requires that SIGCHLD is not ignored (the exit status must be collectable). Safe to call from several
// threads (SIGPIPE is blocked only in the calling thread, and only while writing).
model::DeliveryResult run_exec_hook(const std::string& command, const std::string& jsonl,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace usersctl::events
