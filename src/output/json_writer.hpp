#pragma once
// json and jsonl renderers (README.md, "Output"). Both stream: nothing but the current record is held.

#include <iosfwd>
#include <memory>

#include "output/record_writer.hpp"

namespace usersctl::output {

// Shape::One: the record pretty-printed. Shape::Many: one pretty-printed array, streamed
// element by element, byte-identical to dumping the whole array with a 2-space indent.
std::unique_ptr<RecordWriter> make_json_writer(const WriterOptions& options, std::ostream& out);
// One compact object a line, for any shape.
std::unique_ptr<RecordWriter> make_jsonl_writer(const WriterOptions& options, std::ostream& out);

}  // namespace usersctl::output
