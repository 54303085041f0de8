#pragma once
// What every command shares: the global options, the domain (core::Services, opened on first use),
// output writers and stderr messages. Commands never see SQL or a backend.

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/services.hpp"
#include "model/change.hpp"
#include "model/open_mode.hpp"
#include "output/record_writer.hpp"

namespace usersctl::cli {

struct GlobalOptions {
  std::string db;       // --db / USERSCTL_DB; empty: the default file
  std::string read_db;  // --read-db / USERSCTL_READ_DB: what read-only commands use (e.g. a standby)
  std::string profile;  // --profile / USERSCTL_PROFILE; empty: the config's default_profile
  std::string output;   // -o; empty: chosen by terminal
  std::string fields;   // --fields a,b,c
  std::string actor;    // --actor; empty: $SUDO_USER, else $USER
  bool events = false;  // --events: print this invocation's events on stdout
  bool quiet = false;
  bool no_headers = false;  // --no-headers (table, csv, tsv)
};

// The top-level field names of a record, in order (for checking --fields).
std::vector<std::string> field_names(const output::Record& record);

class Context {
 public:
  GlobalOptions options;

  // The domain, opened on first use from --db and the actor.
  core::Services& services();
  core::UserService& users();
  core::GroupService& groups();
  core::EventService& events();
  core::BulkService& bulk();

  // A writer honouring -o and --fields; `known_fields` lists the record's fields, for
  // checking --fields (attrs.KEY is allowed where "attrs" is known).
  std::unique_ptr<output::RecordWriter> writer(output::Shape shape,
                                               const std::vector<std::string>& table_columns,
                                               const std::vector<std::string>& known_fields);
  // Prints one record (health, version, hook show) whose own fields are the table's columns and
  // what --fields may pick.
  void write_one(const output::Record& record);
  // Confirms committed changes on stderr (unless -q).
  void report(const std::vector<model::Change>& changes);
  // A message for the admin on stderr (unless -q).
  void note(const std::string& message);
  // A warning on stderr (even with -q: something needs attention).
  void warn(const std::string& message);
  // After the command committed: prints its events (--events), then tries the deliveries
  // it queued once, quickly. A failed delivery only warns: the change stands.
  void after_commit();

  // How services() opens the database: app.cpp sets CreateIfMissing for the commands that write;
  // every other command reads and must not create a database.
  model::OpenMode open_mode = model::OpenMode::MustExist;

  // The top-level commands the command line names (app.cpp): only these are set up in full
  // (is_set_up, cli/command_setup.hpp).
  std::set<std::string> named_commands;

  // The command to run once parsing has succeeded.
  std::function<void()> action;
  // Set by a command that succeeds but answers "no" (check-password's mismatch).
  int exit_code = 0;

 private:
  std::string actor();
  void apply_retention();

  std::unique_ptr<core::Services> services_;
};

}  // namespace usersctl::cli
