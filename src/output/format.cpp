#include "output/format.hpp"

#include <array>
#include <utility>

namespace usersctl::output {

namespace {

// The names -o accepts, exactly as the man page (COMMANDS) spells them (lower case, as gh and kubectl).
constexpr std::array<std::pair<std::string_view, Format>, 5> kFormatNames{{
    {"table", Format::Table},
    {"json", Format::Json},
    {"jsonl", Format::Jsonl},
    {"csv", Format::Csv},
    {"tsv", Format::Tsv},
}};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [known, format] : kFormatNames) {
    if (name == known) return format;
  }
  return std::nullopt;
}

Format default_format(Shape shape, bool stdout_is_terminal) {
  if (stdout_is_terminal) return Format::Table;
  // Pipes get machine formats: jsonl streams a list line by line, one record is one document.
  return shape == Shape::Many ? Format::Jsonl : Format::Json;
}

}  // namespace usersctl::output
