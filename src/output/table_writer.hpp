#pragma once
// The human table, the default on a terminal (README.md, "Output").

#include <iosfwd>
#include <memory>

#include "output/record_writer.hpp"

namespace usersctl::output {

// Shape::Many: aligned columns under an upper-case header; buffers rows to measure widths.
// Columns: options.fields, else options.table_columns, else the first record's top-level keys.
// An empty list prints nothing at all. Shape::One: "key: value" lines, keys padded to one width.
std::unique_ptr<RecordWriter> make_table_writer(const WriterOptions& options, std::ostream& out);

}  // namespace usersctl::output
