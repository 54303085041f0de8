#pragma once
// Every integer option and argument goes through decimal(): CLI11 alone reads "" as 0, "010" as
// octal 8 and "+5" or " 5" as 5. Here a value is decimal digits, not empty, within its range, or a
// usage error naming the option and the value given ("--uid: '010' is not a decimal number").

#include <CLI/CLI.hpp>
#include <cstdint>

namespace usersctl::cli {

// Ids (--uid, --gid): the 32-bit range; the core refuses the reserved ones (exit 5).
CLI::Option* decimal_id(CLI::Option* option);
// Counts, sequence numbers, versions, days and seconds: 0 up to `max` (an option held in an int
// passes INT_MAX or its own bound, so that an overflow is named here, not by CLI11's conversion).
CLI::Option* decimal(CLI::Option* option, std::uint64_t max = INT64_MAX);

}  // namespace usersctl::cli
