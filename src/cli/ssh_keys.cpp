// ssh-key add|list|remove, and ssh-authorized-keys for sshd's AuthorizedKeysCommand.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command_setup.hpp"
#include "core/line_source.hpp"
#include "userdb/host_accounts.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// Bounded like every input file: `cat /dev/zero | usersctl ssh-key add alice -` must fail, not fill memory.
std::string read_all(std::istream& in, const std::string& label) {
  std::string text;
  char chunk[64 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > core::kMaxLineBytes) {
      throw Invalid(label + " is longer than " + std::to_string(core::kMaxLineBytes >> 20) + " MiB");
    }
  }
  if (in.bad()) throw Invalid("cannot read " + label + ": input/output error");
  return text;
}

std::string read_key_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("cannot open '" + path + "': " + std::strerror(errno));
  return read_all(file, path);
}

void setup_add(CLI::App& keys, Context& context) {
  struct Options {
    std::string username;
    std::string key;
    std::string file;
  };
  auto options = std::make_shared<Options>();
  auto* command = keys.add_subcommand("add", "Add SSH public keys (authorized_keys lines) to a user");
  command->add_option("USER", options->username, "User name")->required();
  auto* key = command->add_option("KEY", options->key, "One key line, quoted; - reads lines from stdin");
  command->add_option("--file", options->file, "Read key lines from this file (as ~/.ssh/authorized_keys)")
      ->type_name("F")
      ->excludes(key);
  command->footer(
      "Blank lines and # comments are skipped; a malformed line or a key the user already has adds "
      "nothing.\n\n"
      "Examples:\n  usersctl ssh-key add alice \"$(cat ~/.ssh/id_ed25519.pub)\"\n"
      "  usersctl ssh-key add alice --file alice.keys\n  cat *.pub | usersctl ssh-key add alice -");
  on_run(*command, context, [&context, options, key, command] {
    std::string text;
    std::string label;
    if (!options->file.empty()) {
      text = read_key_file(options->file);
      label = options->file;
    } else if (key->count() > 0 && options->key != "-") {
      text = options->key;
      label = "key";
    } else if (key->count() > 0) {
      text = read_all(std::cin, "stdin");
      label = "stdin";
    } else {
      throw UsageError("ssh-key add: give KEY, --file F or - (stdin)",
                       "see " + command->get_name() + " --help");
    }
    context.report(context.services().ssh_keys().add(options->username, text, label));
  });
}

void setup_list(CLI::App& keys, Context& context) {
  auto username = std::make_shared<std::string>();
  auto* command = keys.add_subcommand("list", "List a user's SSH public keys");
  command->add_option("USER", *username, "User name")->required();
  command->footer("Example:\n  usersctl ssh-key list alice");
  on_run(*command, context, [&context, username] {
    static const std::vector<std::string> fields{"type", "fingerprint", "comment"};
    auto writer = context.writer(output::Shape::Many, fields, fields);
    for (const auto& key : context.services().ssh_keys().list(*username)) {
      output::Record record;
      record["type"] = key.type;
      record["fingerprint"] = key.fingerprint;
      record["comment"] = key.comment;
      writer->write(record);
    }
    writer->finish();
  });
}

void setup_remove(CLI::App& keys, Context& context) {
  struct Options {
    std::string username;
    std::string fingerprint;
  };
  auto options = std::make_shared<Options>();
  auto* command = keys.add_subcommand("remove", "Remove one of a user's SSH public keys");
  command->add_option("USER", options->username, "User name")->required();
  command->add_option("FINGERPRINT", options->fingerprint, "SHA256:... as ssh-key list shows it")->required();
  command->footer("Example:\n  usersctl ssh-key remove alice SHA256:abc...");
  on_run(*command, context, [&context, options] {
    context.report(context.services().ssh_keys().remove(options->username, options->fingerprint));
  });
}

// An enabled user's keys, one query. None for a name the host's /etc/passwd has: sshd resolves
// it to the host's own account (root, say), which must not take our user's keys; the userdb
// service withholds such a user too. (One withheld for its uid needs no check here: sshd cannot
// resolve its name, so it never asks.) The host's file is read before the database is opened.
void print_authorized_keys(Context& context, const std::string& name) {
  userdb::HostAccounts host;
  if (host.user_name_taken(name)) return;
  // A read: the database opens only if it exists (exit 6 "no database at PATH" otherwise).
  for (const auto& line : context.users().authorized_keys(name)) std::cout << line << '\n';
}

void setup_authorized_keys(CLI::App& app, Context& context) {
  auto username = std::make_shared<std::string>();
  auto* command = app.add_subcommand("ssh-authorized-keys",
                                     "Print an enabled user's SSH keys for sshd's AuthorizedKeysCommand");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", *username, "User name")->required();
  command->footer(
      "Prints nothing (exit 0) for a disabled or unknown user, or one whose name or uid the host's\n"
      "/etc/passwd already has (the userdb service does not serve it either); exits 6 only when\n"
      "the database is unavailable.\n\n"
      "Examples:\n  usersctl ssh-authorized-keys alice\n"
      "  # in sshd_config:\n"
      "  AuthorizedKeysCommand /usr/local/bin/usersctl ssh-authorized-keys %u\n"
      "  AuthorizedKeysCommandUser root");
  on_run(*command, context, [&context, username] { print_authorized_keys(context, *username); });
}

}  // namespace

void setup_ssh_key_commands(CLI::App& app, Context& context) {
  add_command_family(
      app, context,
      {"ssh-key", "A user's SSH public keys",
       "Examples:\n  usersctl ssh-key add alice \"$(cat ~/.ssh/id_ed25519.pub)\"\n  usersctl ssh-key list "
       "alice"},
      {setup_add, setup_list, setup_remove});
  setup_authorized_keys(app, context);
}

}  // namespace usersctl::cli
