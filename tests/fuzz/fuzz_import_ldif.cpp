// `usersctl import --format ldif`: the entry reader alone, the group pass, then the user reader
// and a dry-run load (see import_input.hpp).

#include <sstream>

#include "core/ldif_reader.hpp"
#include "core/ldif_records.hpp"
#include "import_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(usersctl::fuzz::as_text(data, size));
  usersctl::fuzz::refusing_is_fine([&] {
    std::istringstream in(text);
    usersctl::core::LdifReader reader(in, "fuzz");
    usersctl::core::LdifEntry entry;
    for (std::size_t entries = 0;; ++entries) {
      if (entries > text.size() + 1) std::abort();  // more entries than bytes: the reader is stuck
      try {
        if (!reader.next(entry)) break;
      } catch (const usersctl::core::LineError&) {
      }
    }
  });
  usersctl::fuzz::refusing_is_fine([&] {
    std::istringstream in(text);
    usersctl::core::read_ldif_groups(in, "fuzz");
  });
  usersctl::fuzz::fuzz_import(usersctl::core::InputFormat::Ldif, data, size);
  return 0;
}
