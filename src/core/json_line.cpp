#include "core/json_line.hpp"

#include <unordered_set>
#include <vector>

#include "util/json_error.hpp"
#include "util/quote.hpp"

namespace usersctl::core {

namespace {

using nlohmann::json;

// Deeper nesting than any user record has is refused before parsing, so a hostile line
// cannot make the parser or the destructor recurse without bound.
constexpr int kMaxDepth = 8;

bool nested_too_deeply(const std::string& line) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// Names the key that appears twice in one object: nlohmann keeps the last, so
// {"username":"alice","username":"root"} would pass a check of the first and import the second
// (the CSV reader refuses a repeated column alike). Only run on a line known to repeat a key.
json parse_naming_duplicate_key(const std::string& line) {
  std::vector<std::unordered_set<std::string>> keys;  // per open object, its keys so far
  return json::parse(line, [&keys](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(key).second)
        throw Invalid("key " + util::quote_value(key) + " appears twice in one object");
    }
    return true;
  });
}

// Parses one line, refusing a key that appears twice in one object. Counting the keys of each
// object and comparing with its size when it closes costs no allocation a key (a set of the
// keys did, on every line of an import); a line that repeats one is parsed again to name it.
// Depth is bounded (nested_too_deeply).
json parse_without_duplicate_keys(const std::string& line) {
  std::vector<std::size_t> counts;  // per open object, its keys so far
  bool repeated = false;
  json parsed = json::parse(line, [&](int, json::parse_event_t event, json& value) {
    if (event == json::parse_event_t::object_start) {
      counts.push_back(0);
    } else if (event == json::parse_event_t::key) {
      ++counts.back();
    } else if (event == json::parse_event_t::object_end) {
      if (value.size() != counts.back()) repeated = true;
      counts.pop_back();
    }
    return true;
  });
  if (repeated) return parse_naming_duplicate_key(line);
  return parsed;
}

// Where and what, never the text: nlohmann's message quotes what it read, which may be a hash.
std::string parse_problem(const json::parse_error& error, const std::string& line) {
  const util::TextPosition at = util::json_error_position(error.byte, line);
  return "not valid JSON at column " + std::to_string(at.column) + " (" +
         util::json_error_description(error.what()) + ")";
}

}  // namespace

json parse_json_line(const std::string& line) {
  if (nested_too_deeply(line)) throw Invalid("JSON nested too deeply");
  try {
    return parse_without_duplicate_keys(line);
  } catch (const json::parse_error& error) {
    throw JsonSyntaxError(parse_problem(error, line));
  } catch (const json::out_of_range&) {
    // 1e99999: valid JSON syntax, but no double holds it (found by fuzz_import_jsonl).
    throw Invalid("a number is too large");
  }
}

}  // namespace usersctl::core
