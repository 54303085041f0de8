// add, update, delete, show, list, passwd, check-password.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/command_setup.hpp"
#include "cli/confirm.hpp"
#include "cli/mutation_plan.hpp"
#include "cli/numeric_option.hpp"
#include "cli/posix_options.hpp"
#include "core/account_window.hpp"
#include "core/list_cursor.hpp"
#include "core/user_fields.hpp"
#include "output/records.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::cli {

namespace {

// The fields of a user record; a binned one's also has deleted_at and deleted_by.
std::vector<std::string> user_fields(bool binned = false) {
  model::User user;
  if (binned) user.deleted_at = user.deleted_by = "";
  const output::Record sample = output::user_record(user);
  return field_names(sample);
}

void refuse_password_argument(CLI::App* command, std::shared_ptr<std::string> sink) {
  // Hidden: exists only to explain why a password on argv is refused.
  command->add_option("--password", *sink)->group("");
}

void check_no_password_argument(const std::string& given) {
  if (!given.empty()) {
    throw UsageError("--password is not accepted: arguments are visible to every user in ps",
                     "pipe it in with --password-stdin");
  }
}

// `add USER --password` (no value) asks on the terminal; a value stays refused, as ever.
void add_password_prompt(CLI::App* command, std::shared_ptr<std::string> sink, CLI::Option* stdin_flag) {
  command->add_option("--password", *sink, "Ask for the password on the terminal (typed twice, not shown)")
      ->expected(0, 1)
      ->type_name("")
      ->excludes(stdin_flag);
}

// --valid-from and --expires-at, on add and update: the account's validity window.
struct WindowOptions {
  std::string valid_from;
  std::string expires_at;
  CLI::Option* valid_from_option = nullptr;
  CLI::Option* expires_at_option = nullptr;

  void add_to(CLI::App* command) {
    valid_from_option =
        command->add_option("--valid-from", valid_from, "No login before DATE (never: no bound)")
            ->type_name("DATE|never");
    expires_at_option =
        command->add_option("--expires-at", expires_at, "No login from DATE on (never: no bound)")
            ->type_name("DATE|never");
  }
  template <class Request>
  void apply(Request& request) const {
    if (valid_from_option->count() > 0) request.valid_from = valid_from;
    if (expires_at_option->count() > 0) request.expires_at = expires_at;
  }
};

struct AddOptions {
  core::NewUser user;
  WindowOptions window;
  std::string email;
  std::vector<std::string> attrs;
  PosixOptions posix;
  bool password_stdin = false;
  std::string password_hash;
  std::string password_argument;
  bool if_not_exists = false;
  bool dry_run = false;
};

void setup_add(CLI::App& app, Context& context) {
  auto options = std::make_shared<AddOptions>();
  auto* command = app.add_subcommand("add", "Create a user");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", options->user.username, "User name")->required();
  auto* email = command->add_option("--email", options->email, "Email address (unique, case-insensitive)");
  command->add_option("--name", options->user.name, "Display name");
  options->posix.add_to(command, "Numeric user id (default: the next free one in the uid_range setting)");
  command->add_option("--group", options->user.groups, "Add to this existing group (repeatable)")
      ->type_name("G");
  command->add_option("--attr", options->attrs, "Attribute KEY=VALUE (repeatable)")->type_name("K=V");
  auto* stdin_flag =
      command->add_flag("--password-stdin", options->password_stdin, "Read the password from stdin");
  auto* hash = command->add_option("--password-hash", options->password_hash, "Use an existing crypt(3) hash")
                   ->excludes(stdin_flag);
  command->add_flag("--disabled", options->user.disabled, "Create the account disabled");
  options->window.add_to(command);
  command->add_flag("--if-not-exists", options->if_not_exists, "Succeed without change if the user exists");
  add_dry_run(*command, options->dry_run);
  add_password_prompt(command, std::shared_ptr<std::string>(options, &options->password_argument),
                      stdin_flag);
  command->get_option("--password")->excludes(hash);
  command->footer(
      "Examples:\n  usersctl add alice --email alice@example.com --name 'Alice Liddell' --group staff\n"
      "  usersctl add svc-backup --home /var/lib/backup --shell /usr/sbin/nologin --primary-group backup\n"
      "  printf '%s\\n' \"$PW\" | usersctl add bob --password-stdin\n"
      "  usersctl add carol --password              # asks twice on the terminal");
  auto* password = command->get_option("--password");
  on_run(*command, context, [&context, options, email, password] {
    check_no_password_argument(options->password_argument);
    core::NewUser user = options->user;
    if (email->count() > 0) user.email = options->email;
    user.posix = options->posix.request();
    for (auto& [key, value] : parse_key_values(options->attrs, "--attr")) user.attrs[key] = value;
    if (options->password_stdin) user.password = read_password_from_stdin();
    if (password->count() > 0) user.password = ask_new_password("add --password");
    if (!options->password_hash.empty()) user.password_hash = options->password_hash;
    options->window.apply(user);
    const auto if_exists = options->if_not_exists ? core::IfExists::Skip : core::IfExists::Fail;
    const auto changes = run_mutation(context, {options->dry_run, false},
                                      [&] { return context.users().add(user, if_exists); });
    if (!changes) return;
    if (changes->empty()) context.note("user '" + user.username + "' already exists; nothing to do");
    context.report(*changes);
  });
}

struct UpdateOptions {
  std::string username;
  WindowOptions window;
  core::UserUpdate update;
  std::string email;
  std::string name;
  std::string rename;
  std::vector<std::string> attrs;
  std::vector<std::string> unset_attrs;
  PosixOptions posix;
  bool password_stdin = false;
  bool disable = false;
  bool enable = false;
  std::int64_t if_version = 0;
  std::string password_argument;
  bool dry_run = false;
};

void setup_update(CLI::App& app, Context& context) {
  auto options = std::make_shared<UpdateOptions>();
  auto* command = app.add_subcommand("update", "Change a user");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", options->username, "User name")->required();
  auto* email = command->add_option("--email", options->email, "New email (empty clears it)");
  auto* name = command->add_option("--name", options->name, "New display name");
  auto* rename =
      command->add_option("--rename", options->rename, "New user name (keeps uid, groups, history)");
  options->posix.add_to(command, "New numeric user id (a private group follows it)");
  command->add_option("--attr", options->attrs, "Set attribute KEY=VALUE (repeatable)")->type_name("K=V");
  command->add_option("--unset-attr", options->unset_attrs, "Remove attribute KEY (repeatable)")
      ->type_name("K");
  command->add_flag("--password-stdin", options->password_stdin, "Read a new password from stdin");
  auto* disable = command->add_flag("--disable", options->disable, "Disable the account");
  command->add_flag("--enable", options->enable, "Enable the account")->excludes(disable);
  options->window.add_to(command);
  auto* if_version = decimal(
      command->add_option("--if-version", options->if_version, "Only if the record is at this version"));
  add_dry_run(*command, options->dry_run);
  refuse_password_argument(command, std::shared_ptr<std::string>(options, &options->password_argument));
  command->footer(
      "Examples:\n  usersctl update alice --email alice@new.example --attr team=ops\n"
      "  usersctl update alice --rename alice2 --if-version 3\n"
      "  usersctl update alice --shell /bin/zsh --primary-group staff");
  on_run(*command, context, [&context, options, email, name, rename, if_version] {
    check_no_password_argument(options->password_argument);
    core::UserUpdate update;
    if (email->count() > 0) update.email = options->email;
    if (name->count() > 0) update.name = options->name;
    if (rename->count() > 0) update.rename = options->rename;
    for (auto& [key, value] : parse_key_values(options->attrs, "--attr")) update.set_attrs[key] = value;
    update.unset_attrs = options->unset_attrs;
    update.posix = options->posix.request();
    if (options->disable) update.disabled = true;
    if (options->enable) update.disabled = false;
    if (if_version->count() > 0) update.if_version = options->if_version;
    if (options->password_stdin) update.password = read_password_from_stdin();
    options->window.apply(update);
    std::optional<model::User> before;
    if (options->dry_run) {
      try {
        before = context.users().show(options->username);
      } catch (const NotFound&) {
        // the update itself reports it
      }
    }
    const auto changes = run_mutation(
        context, {options->dry_run, false}, [&] { return context.users().update(options->username, update); },
        {}, before);
    if (!changes) return;
    if (changes->empty())
      context.note("user '" + options->username + "' already has those values; nothing to do");
    context.report(*changes);
  });
}

void setup_delete(CLI::App& app, Context& context) {
  struct Options {
    std::vector<std::string> usernames;
    bool if_exists = false;
    bool purge = false;
    Safety safety;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("delete", "Delete users (all or none) to the recycle bin");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", options->usernames, "User names")->required();
  command->add_flag("--if-exists", options->if_exists, "Skip users that do not exist");
  command->add_flag("--purge", options->purge, "Skip the recycle bin: the delete is final");
  add_safety_options(*command, options->safety, "Do not ask on a terminal before deleting several users");
  command->footer(
      "A deleted user waits in the recycle bin (recycle_days, default 30) for `usersctl restore`; its\n"
      "uid stays reserved, its name is free. On a terminal, deleting more than one user asks first\n"
      "(y/N); --yes skips the question.\n\n"
      "Examples:\n  usersctl delete alice\n  usersctl delete bob carol --if-exists\n"
      "  usersctl delete --dry-run bob carol");
  on_run(*command, context, [&context, options] {
    const auto if_missing = options->if_exists ? core::IfMissing::Skip : core::IfMissing::Fail;
    const auto changes = run_mutation(
        context, options->safety,
        [&] { return context.users().remove(options->usernames, if_missing, options->purge); },
        [](const std::vector<model::Change>& planned) -> std::optional<std::string> {
          std::vector<std::string> names;
          for (const auto& change : planned)
            if (change.type == model::ChangeType::UserDeleted) names.push_back(change.user->username);
          if (names.size() < 2) return std::nullopt;
          return "delete " + std::to_string(names.size()) + " users: " + first_names(names);
        });
    if (!changes) return;
    context.report(*changes);
  });
}

// show --deleted (no `at`): the user in the recycle bin; show --as-of AT: as the log recorded it.
void show_from_the_past(Context& context, const std::string& username, const std::optional<std::string>& at) {
  auto writer = context.writer(output::Shape::One, output::user_table_columns(), user_fields(!at));
  if (at) {
    writer->write(context.services().history().user_as_of(username, *at));
  } else {
    writer->write(output::user_record(context.services().recycle_bin().show_user(username)));
  }
  writer->finish();
}

void setup_show(CLI::App& app, Context& context) {
  auto username = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto* command = app.add_subcommand("show", "Show one user");
  if (!is_set_up(*command, context)) return;
  command->add_option("USER", *username, "User name")->required();
  auto* as_of_option =
      command->add_option("--as-of", *as_of, "The record as it was then (from the event log)")
          ->type_name("TIME|SEQ");
  auto deleted = std::make_shared<bool>(false);
  command->add_flag("--deleted", *deleted, "The user in the recycle bin (with deleted_at, deleted_by)")
      ->excludes(as_of_option);
  command->footer(
      "Examples:\n  usersctl show alice\n  usersctl show alice | jq -r .email\n"
      "  usersctl show alice --as-of 2026-11-30T12:00:00Z");
  on_run(*command, context, [&context, username, as_of, as_of_option, deleted] {
    if (*deleted || as_of_option->count() > 0) {
      show_from_the_past(context, *username, *deleted ? std::nullopt : std::optional<std::string>(*as_of));
      return;
    }
    const model::User user = context.users().show(*username);
    std::vector<std::string> known = user_fields();
    known.emplace_back("password");
    auto writer = context.writer(output::Shape::One, output::user_table_columns(), known);
    output::Record record = output::user_record(user);
    // "set", "none" or "locked": whether a password can log in, never the hash itself.
    record["password"] = context.users().password_state(*username);
    writer->write(record);
    writer->finish();
  });
}

struct ListOptions {
  std::vector<std::string> where;
  std::string group;
  bool enabled = false;
  bool disabled = false;
  std::string sort = "username";
  std::int64_t limit = 0;
  std::int64_t offset = 0;
  std::string after;
  bool deleted = false;         // the recycle bin instead
  bool expired = false;         // outside the validity window now
  std::string expiring_within;  // "7d", "12h": expires within that span from now
};

// The span of --expiring-within in milliseconds: N followed by d (days) or h (hours).
std::int64_t span_ms(const std::string& text) {
  const bool ok = text.size() >= 2 && text.size() <= 7 && (text.back() == 'd' || text.back() == 'h') &&
                  text.find_first_not_of("0123456789") == text.size() - 1;
  if (!ok) throw UsageError("--expiring-within '" + text + "': expected a span such as 7d or 12h");
  const std::int64_t n = std::stoll(text.substr(0, text.size() - 1));
  return n * (text.back() == 'd' ? 86'400'000 : 3'600'000);
}

// The --expired / --expiring-within test, applied to each listed user (the window is not a
// list filter of the store).
std::function<bool(const model::User&)> window_filter(const ListOptions& options) {
  const std::string now = util::now_rfc3339();
  if (options.expired) return [now](const model::User& user) { return !core::within_window(user, now); };
  if (options.expiring_within.empty()) return nullptr;
  const std::string until =
      util::rfc3339_from_unix_ms(util::now_unix_ms() + span_ms(options.expiring_within));
  return [now, until](const model::User& user) {
    return user.expires_at && *user.expires_at >= now && *user.expires_at < until;
  };
}

model::UserQuery build_query(const ListOptions& options, bool has_limit, bool has_group) {
  core::ListRequest request;
  request.where = parse_key_values(options.where, "--where");
  if (has_group) request.group = options.group;
  if (options.enabled) request.enabled = model::EnabledFilter::EnabledOnly;
  if (options.disabled) request.enabled = model::EnabledFilter::DisabledOnly;
  request.sort = options.sort;
  if (const auto colon = options.sort.find(':'); colon != std::string::npos) {
    request.sort = options.sort.substr(0, colon);
    const std::string direction = options.sort.substr(colon + 1);
    if (direction != "desc" && direction != "asc") {
      throw UsageError("--sort '" + options.sort + "': expected FIELD or FIELD:desc");
    }
    if (direction == "desc") request.order = model::SortOrder::Descending;
  }
  if (has_limit) request.limit = options.limit;
  request.offset = options.offset;
  request.after = options.after;
  return core::parse_list_request(request);
}

// list --expired / --expiring-within: the store lists, this keeps the users the window test
// selects, up to `limit` (no paging cursor: the filter is not part of the store's query).
void list_in_window(Context& context, const model::UserQuery& query,
                    const std::function<bool(const model::User&)>& keep, std::optional<std::int64_t> limit) {
  if (limit && *limit < 0) throw UsageError("--limit must not be negative");
  auto writer = context.writer(output::Shape::Many, output::user_table_columns(), user_fields());
  std::int64_t count = 0;
  context.users().list(query, [&](const model::User& user) {
    if ((limit && count >= *limit) || !keep(user)) return;
    writer->write(output::user_record(user));
    ++count;
  });
  writer->finish();
}

// --after, and the lifecycle views (--deleted, --expired, --expiring-within), which do not page.
void add_paging_and_lifecycle_options(CLI::App* command, ListOptions& options, CLI::Option* offset) {
  auto* after =
      command->add_option("--after", options.after, "Continue after the cursor a previous page printed")
          ->type_name("CURSOR")
          ->excludes(offset);
  auto* expired =
      command->add_flag("--expired", options.expired, "Only accounts outside their validity window");
  command->add_flag("--deleted", options.deleted, "The users in the recycle bin, oldest deletion first")
      ->excludes(expired)
      ->excludes(after)
      ->excludes(offset);
  command->add_option("--expiring-within", options.expiring_within, "Only accounts expiring within SPAN")
      ->type_name("SPAN")
      ->excludes(expired)
      ->excludes(after)
      ->excludes(offset);
  expired->excludes(after)->excludes(offset);
}

void setup_list(CLI::App& app, Context& context) {
  auto options = std::make_shared<ListOptions>();
  auto* command = app.add_subcommand("list", "List users");
  if (!is_set_up(*command, context)) return;
  command->add_option("--where", options->where, "Only records with FIELD=VALUE (repeatable, ANDed)")
      ->type_name("FIELD=VALUE");
  auto* group = command->add_option("--group", options->group, "Only members of this group");
  auto* enabled = command->add_flag("--enabled", options->enabled, "Only enabled accounts");
  command->add_flag("--disabled", options->disabled, "Only disabled accounts")->excludes(enabled);
  command->add_option("--sort", options->sort, "Order by FIELD[:desc] (default username)");
  auto* limit = decimal(command->add_option("--limit", options->limit, "At most N records"));
  auto* offset = decimal(command->add_option("--offset", options->offset, "Skip the first N records"));
  add_paging_and_lifecycle_options(command, *options, offset);
  command->footer(
      "Examples:\n  usersctl list --where attrs.team=ops --sort uid:desc --limit 10\n"
      "  usersctl list -o csv --fields username,email > users.csv\n"
      "  usersctl list --limit 1000 --after CURSOR   # keyset paging; a full page prints the next cursor on "
      "stderr");
  on_run(*command, context, [&context, options, limit, group] {
    if (options->deleted) {
      auto writer = context.writer(output::Shape::Many, output::user_table_columns(), user_fields(true));
      context.services().recycle_bin().list_users(
          [&](const model::User& user) { writer->write(output::user_record(user)); });
      writer->finish();
      return;
    }
    const auto keep = window_filter(*options);
    if (keep) {
      list_in_window(context, build_query(*options, false, group->count() > 0), keep,
                     limit->count() > 0 ? std::optional<std::int64_t>(options->limit) : std::nullopt);
      return;
    }
    const model::UserQuery query = build_query(*options, limit->count() > 0, group->count() > 0);
    auto writer = context.writer(output::Shape::Many, output::user_table_columns(), user_fields());
    std::int64_t count = 0;
    model::User last;
    context.users().list(query, [&](const model::User& user) {
      writer->write_user(user);
      if (query.limit && ++count == *query.limit) last = user;
    });
    writer->finish();
    // A full page may have more behind it: say where the next one starts. Not a
    // confirmation, so -q keeps it (paging scripts run quiet).
    if (query.limit && *query.limit > 0 && count == *query.limit) {
      std::cout.flush();
      std::cerr << "usersctl: next page: --after " << core::encode_list_cursor(query, last) << '\n';
    }
  });
}

model::SearchFields parse_search_fields(const std::string& list) {
  model::SearchFields fields{false, false, false, false};
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string field = list.substr(start, end - start);
    if (field == "username") {
      fields.username = true;
    } else if (field == "name") {
      fields.name = true;
    } else if (field == "email") {
      fields.email = true;
    } else if (field == "attrs") {
      fields.attrs = true;
    } else {
      throw UsageError("--in: unknown field '" + field + "'", "fields: username, name, email, attrs");
    }
    start = end + 1;
  }
  return fields;
}

void setup_search(CLI::App& app, Context& context) {
  struct Options {
    std::string text;
    std::string in = "username,name,email,attrs";
    std::int64_t limit = 50;
  };
  auto options = std::make_shared<Options>();
  auto* command =
      app.add_subcommand("search", "Find users by a case-insensitive fragment, best matches first");
  if (!is_set_up(*command, context)) return;
  command->add_option("TEXT", options->text, "Text to find in user names, names, emails and attribute values")
      ->required();
  command->add_option("--in", options->in, "Fields to search (default username,name,email,attrs)");
  decimal(command->add_option("--limit", options->limit, "At most N users (default 50)"));
  command->footer(
      "Examples:\n  usersctl search müller\n  usersctl search @example.org --in email --limit 500");
  on_run(*command, context, [&context, options] {
    model::SearchQuery query;
    query.text = options->text;
    query.fields = parse_search_fields(options->in);
    query.limit = options->limit;
    auto writer = context.writer(output::Shape::Many, output::user_table_columns(), user_fields());
    context.users().search(query, [&](const model::User& user) { writer->write_user(user); });
    writer->finish();
  });
}

void setup_passwords(CLI::App& app, Context& context) {
  struct Options {
    std::string username;
    bool password_stdin = false;
    std::string password_argument;
  };
  for (const bool checking : {false, true}) {
    auto options = std::make_shared<Options>();
    auto* command = checking
                        ? app.add_subcommand("check-password", "Exit 0 if the password matches, 1 if not")
                        : app.add_subcommand("passwd", "Set a user's password");
    if (!is_set_up(*command, context)) continue;
    command->add_option("USER", options->username, "User name")->required();
    auto* stdin_flag =
        command->add_flag("--password-stdin", options->password_stdin, "Read the password from stdin");
    // check-password is for scripts; passwd asks on a terminal when --password-stdin is absent.
    if (checking) stdin_flag->required();
    refuse_password_argument(command, std::shared_ptr<std::string>(options, &options->password_argument));
    command->footer(
        checking
            ? "Example:\n  printf '%s\\n' \"$PW\" | usersctl check-password alice --password-stdin && echo ok"
            : "Without --password-stdin, asks on the terminal twice, without echo.\n\n"
              "Examples:\n  usersctl passwd alice\n"
              "  printf '%s\\n' \"$PW\" | usersctl passwd alice --password-stdin");
    on_run(*command, context, [&context, options, checking] {
      check_no_password_argument(options->password_argument);
      const util::SecretString password =
          options->password_stdin ? read_password_from_stdin() : ask_new_password("passwd");
      if (!checking) {
        context.report(context.users().set_password(options->username, password.view()));
      } else if (!context.users().check_password(options->username, password.view())) {
        context.exit_code = 1;
      }
    });
  }
}

}  // namespace

void setup_user_commands(CLI::App& app, Context& context) {
  setup_add(app, context);
  setup_update(app, context);
  setup_delete(app, context);
  setup_show(app, context);
  setup_list(app, context);
  setup_search(app, context);
  setup_passwords(app, context);
}

}  // namespace usersctl::cli
