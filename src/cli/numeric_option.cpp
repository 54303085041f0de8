#include "cli/numeric_option.hpp"

#include <limits>
#include <string>

#include "util/decimal.hpp"
#include "util/quote.hpp"

namespace usersctl::cli {

namespace {

// CLI11 prefixes the message with the option's name and throws a ValidationError: exit 2.
CLI::Validator decimal_validator(std::uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        switch (util::parse_decimal(text, max).status) {
          case util::DecimalStatus::Ok:
            return {};
          case util::DecimalStatus::TooLarge:
            return util::quote_value(text) + " is out of range (0-" + std::to_string(max) + ")";
          case util::DecimalStatus::NotDecimal:
            break;
        }
        return util::quote_value(text) + " is not a decimal number (digits only, no sign or leading zero)";
      },
      "");
}

}  // namespace

// 4294967295 passes here so that the core names why it is refused: (uid_t)-1 is reserved (exit 5).
CLI::Option* decimal_id(CLI::Option* option) {
  return option->check(decimal_validator(std::numeric_limits<std::uint32_t>::max()))->type_name("N");
}

CLI::Option* decimal(CLI::Option* option, std::uint64_t max) {
  return option->check(decimal_validator(max))->type_name("N");
}

}  // namespace usersctl::cli
