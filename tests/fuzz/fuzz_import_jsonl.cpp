// `usersctl import --format jsonl`: the reader and a dry-run load (see import_input.hpp).

#include "import_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  usersctl::fuzz::fuzz_import(usersctl::core::InputFormat::Jsonl, data, size);
  return 0;
}
