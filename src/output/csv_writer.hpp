#pragma once
// csv and tsv renderers (README.md, "Output"): a header row, then one row per record, streamed.

#include <iosfwd>
#include <memory>

#include "output/record_writer.hpp"

namespace usersctl::output {

// Columns: options.fields, else every top-level key of the first record. With no record and no
// --fields the columns are unknown, so nothing is printed; with --fields, the header alone.
std::unique_ptr<RecordWriter> make_csv_writer(const WriterOptions& options, std::ostream& out,
                                              char separator);

}  // namespace usersctl::output
