#pragma once
// Output formats and the rule for choosing one (README.md, "Output").

#include <optional>
#include <string_view>

namespace usersctl::output {

enum class Format { Table, Json, Jsonl, Csv, Tsv };
// One record (show) or a list of records (list, group list, …).
enum class Shape { One, Many };

std::optional<Format> parse_format(std::string_view name);
// Table on a terminal; otherwise jsonl for lists and json for one record.
Format default_format(Shape shape, bool stdout_is_terminal);

}  // namespace usersctl::output
