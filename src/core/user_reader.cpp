#include "core/user_reader.hpp"

#include "core/ldif_records.hpp"

namespace usersctl::core {

std::unique_ptr<UserReader> make_jsonl_user_reader(std::istream& in, std::string label);
std::unique_ptr<UserReader> make_csv_user_reader(std::istream& in, std::string label);
std::unique_ptr<UserReader> make_passwd_user_reader(std::istream& in, std::string label,
                                                    const ShadowHashes* shadow);

InputFormat parse_input_format(const std::string& name) {
  if (name == "jsonl") return InputFormat::Jsonl;
  if (name == "csv") return InputFormat::Csv;
  if (name == "passwd") return InputFormat::Passwd;
  if (name == "dump") return InputFormat::Dump;
  if (name == "ldif") return InputFormat::Ldif;
  throw UsageError("unknown input format '" + name + "'", "use --format jsonl, csv, passwd, dump or ldif");
}

std::unique_ptr<UserReader> make_user_reader(InputFormat format, std::istream& in, std::string label,
                                             const ShadowHashes* shadow) {
  switch (format) {
    case InputFormat::Jsonl:
      return make_jsonl_user_reader(in, std::move(label));
    case InputFormat::Csv:
      return make_csv_user_reader(in, std::move(label));
    case InputFormat::Passwd:
      return make_passwd_user_reader(in, std::move(label), shadow);
    case InputFormat::Ldif:
      return make_ldif_user_reader(in, std::move(label));
    case InputFormat::Dump:
      break;  // its head comes first: DumpReader (dump_reader.hpp)
  }
  throw InternalError("unknown input format");
}

}  // namespace usersctl::core
