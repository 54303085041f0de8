// hook rotate-secret: a new signing secret, with the old one signing too for a while, so that
// receivers can switch over without rejecting a single delivery.

#include <CLI/CLI.hpp>

#include "cli/command_setup.hpp"
#include "core/hook_secret.hpp"
#include "core/hook_types.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

struct RotateOptions {
  std::string ref;
  std::string secret_file;
  std::string secret_format = "whsec";
  std::string keep_old = "0";
};

void rotate(Context& context, const RotateOptions& options) {
  const auto keep = util::parse_duration(options.keep_old);
  if (!keep) throw UsageError("--keep-old '" + options.keep_old + "': expected a duration such as 24h");
  const auto format =
      options.secret_format == "raw" ? core::HookSecretFormat::Raw : core::HookSecretFormat::Whsec;
  const auto secret = core::read_hook_secret_file(options.secret_file, format);
  const auto hook = context.events().rotate_hook_secret(options.ref, secret, keep->count());
  std::string note = "rotated the secret of " + core::hook_label(hook);
  if (hook.old_secret)
    note += "; the old one also signs until " + util::rfc3339_from_unix_ms(hook.old_secret_until_ms);
  context.note(note);
}

}  // namespace

void setup_hook_rotation(CLI::App& hook_app, Context& context) {
  auto options = std::make_shared<RotateOptions>();
  auto* command =
      hook_app.add_subcommand("rotate-secret", "Sign with a new secret (and the old one for a while)");
  command->add_option("HOOK", options->ref, "The hook's id or name")->required();
  command->add_option("--secret-file", options->secret_file, "File holding the new secret")->required();
  command->add_option("--secret-format", options->secret_format, "whsec (default) or raw")
      ->check(CLI::IsMember({"whsec", "raw"}));
  command->add_option("--keep-old", options->keep_old,
                      "Also sign with the old secret this long, e.g. 24h (default 0: not at all)");
  command->footer(
      "Example:\n  usersctl hook rotate-secret crm --secret-file /etc/usersctl/whsec.new --keep-old 24h");
  on_run(*command, context, [&context, options] { rotate(context, *options); });
}

}  // namespace usersctl::cli
