#include "output/display_text.hpp"

#include "util/text.hpp"

namespace usersctl::output {

namespace {

constexpr std::string_view kEllipsis = "…";

// Explicit bidi embeddings, overrides and isolates ("Trojan Source"): they would reorder the
// columns that follow them on the line.
bool is_bidi_control(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

// Combining marks and zero-width characters draw on the previous column.
bool is_zero_width(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x200B && cp <= 0x200F);
}

// East Asian Wide and Fullwidth blocks (after Markus Kuhn's wcwidth), plus the common emoji blocks.
bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || cp == 0x2329 || cp == 0x232A ||
         (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

std::size_t code_point_width(char32_t cp) {
  if (is_zero_width(cp)) return 0;
  return is_wide(cp) ? 2 : 1;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const auto cp = util::decode_utf8(text, pos);
    if (!cp) {
      out += '?';
      pos = start + 1;  // one '?' per malformed byte, then resynchronise
    } else if (util::is_control(*cp) || is_bidi_control(*cp)) {
      out += '?';
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = util::decode_utf8(text, pos);
    if (cp) {
      width += code_point_width(*cp);
    } else {
      width += 1;  // a malformed byte shows as one replacement glyph
      pos += 1;
    }
  }
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t max_width) {
  if (display_width(text) <= max_width) return std::string(text);
  if (max_width == 0) return {};
  // Keep whole code points while they fit beside the one-column ellipsis.
  std::string out;
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const auto cp = util::decode_utf8(text, pos);
    if (!cp) pos = start + 1;
    const std::size_t cp_width = cp ? code_point_width(*cp) : 1;
    if (width + cp_width > max_width - 1) break;
    out.append(text.substr(start, pos - start));
    width += cp_width;
  }
  return out.append(kEllipsis);
}

}  // namespace usersctl::output
