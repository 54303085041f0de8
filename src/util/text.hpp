#pragma once
// UTF-8 helpers shared by validation, case-insensitive keys and renderers.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::util {

// Decodes one code point at `pos`, advancing it; nullopt on malformed UTF-8
// (overlong forms, surrogates and values past U+10FFFF are malformed).
std::optional<char32_t> decode_utf8(std::string_view text, std::size_t& pos);
bool is_valid_utf8(std::string_view text);
// Where the run of ASCII bytes starting at `pos` ends (text.size() when it reaches the end).
std::size_t ascii_run(std::string_view text, std::size_t pos);
// Code points in valid UTF-8 (each malformed byte counts as one).
std::size_t utf8_length(std::string_view text);
void append_utf8(std::string& out, char32_t cp);
// C0, DEL and C1 control characters.
bool is_control(char32_t cp);
// Simple case folding for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic:
// enough for `müller` to find `Müller` and for case-insensitive email uniqueness.
std::string fold_case(std::string_view text);
// fold_case(text) contains `folded`, which is already folded; reuses a buffer instead of
// allocating, as a short-query search checks every row.
bool folded_contains(std::string_view text, std::string_view folded);
// A cell a spreadsheet would run as a formula (CSV injection; OWASP's lead characters). Text
// that already starts with the neutralising quote before one counts too, so that CSV export
// can add exactly one quote and import take exactly one off: every value round-trips.
bool looks_like_formula(std::string_view text);
// Explains why `text` is not acceptable as a one-line text field, or nullopt when it is.
std::optional<std::string> text_problem(std::string_view text);

}  // namespace usersctl::util
