#pragma once
// What a lossless dump carries beyond a record's fields: its history stamps and version, kept
// as they were when `import --format dump` recreates the record.

#include "model/record_stamps.hpp"

namespace usersctl::core {

using KeptState = model::RecordStamps;

}  // namespace usersctl::core
