#include "core/line_user_reader.hpp"

namespace usersctl::core {

bool LineUserReader::next(UserInput& out) {
  while (source_.next(line_)) {
    if (skips(line_)) continue;
    out = UserInput{};
    out.line = source_.line_number();
    try {
      parse(out);
    } catch (const Invalid& problem) {
      throw LineError(source_.label(), out.line, problem.what());
    }
    return true;
  }
  return false;
}

}  // namespace usersctl::core
