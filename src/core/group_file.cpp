#include "core/group_file.hpp"

#include <charconv>

#include "core/colon_fields.hpp"
#include "core/line_source.hpp"
#include "core/user_reader.hpp"

namespace usersctl::core {

namespace {

GroupInput parse_group_line(const std::string& line) {
  const auto fields = split_colon_fields(line);
  if (fields.size() != 4) {
    throw Invalid("has " + std::to_string(fields.size()) + " fields; a group line has 4 (name:password:gid:members)");
  }
  GroupInput group;
  group.name = fields[0];
  const std::string& gid = fields[2];
  const auto [end, error] = std::from_chars(gid.data(), gid.data() + gid.size(), group.gid);
  if (gid.empty() || error != std::errc() || end != gid.data() + gid.size()) {
    throw Invalid("gid '" + gid.substr(0, 32) + "' is not a whole number");
  }
  std::size_t start = 0;
  const std::string& members = fields[3];
  while (start < members.size()) {
    const std::size_t stop = std::min(members.find(',', start), members.size());
    if (stop > start) group.members.push_back(members.substr(start, stop - start));
    start = stop + 1;
  }
  return group;
}

}  // namespace

std::vector<GroupInput> read_group_file(std::istream& in, const std::string& label) {
  LineSource source(in, label);
  std::vector<GroupInput> groups;
  std::string line;
  while (source.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    try {
      if (auto problem = source.text_problem(line)) throw Invalid(*problem);
      groups.push_back(parse_group_line(line));
      groups.back().line = source.line_number();
    } catch (const LineError&) {
      throw;
    } catch (const Invalid& problem) {
      throw LineError(label, source.line_number(), problem.what());
    }
  }
  return groups;
}

}  // namespace usersctl::core
