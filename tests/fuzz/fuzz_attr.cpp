// `--attr K=V` (repeatable; one item per input line): the KEY=VALUE splitter and the attribute
// rules (key syntax, value text, sizes, count).

#include <cstdlib>

#include "cli/command_setup.hpp"
#include "core/validation.hpp"
#include "fuzz_input.hpp"
#include "model/user.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto items = usersctl::fuzz::lines_of(usersctl::fuzz::as_text(data, size));
  usersctl::fuzz::refusing_is_fine([&] {
    usersctl::model::Attributes attrs;
    for (auto& [key, value] : usersctl::cli::parse_key_values(items, "--attr")) {
      if (key.empty()) std::abort();  // "=V" is refused, never an empty key
      attrs[key] = value;
    }
    usersctl::core::validate_attrs(attrs);
  });
  return 0;
}
