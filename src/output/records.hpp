#pragma once
// Domain objects as output records: the field names and order every format shows
// (README.md, "Output"). The password hash is not part of User, so no output can ever carry it.

#include <string>
#include <vector>

#include "model/records.hpp"
#include "output/record_writer.hpp"

namespace usersctl::output {

// The record builders live in core, shared with events.
using model::group_record;
using model::user_record;

// The columns a table shows when --fields is not given: what fits a terminal line.
const std::vector<std::string>& user_table_columns();
const std::vector<std::string>& group_table_columns();

}  // namespace usersctl::output
