#include "userdb/userdb_methods.hpp"

#include <cstdio>
#include <limits>

#include "userdb/user_record_json.hpp"
#include "userdb/userdb_errors.hpp"
#include "util/errors.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::userdb {
namespace {

using nlohmann::json;

struct InvalidParameter {
  std::string name;
};

std::optional<std::string> string_parameter(const json& parameters, const char* key) {
  const auto it = parameters.find(key);
  if (it == parameters.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw InvalidParameter{key};
  return it->get<std::string>();
}

// uid_t/gid_t -1 is "no id" everywhere, so it is refused like systemd refuses it.
std::optional<std::uint32_t> id_parameter(const json& parameters, const char* key) {
  const auto it = parameters.find(key);
  if (it == parameters.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
      it->get<std::uint64_t>() >= std::numeric_limits<std::uint32_t>::max())
    throw InvalidParameter{key};
  return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

void reply_error(ReplySink& sink, const char* error) { sink.send(format_error(error)); }

// Several services share /run/systemd/userdb; a call meant for another one is refused rather
// than answered with our records.
bool service_matches(const json& parameters, const CallContext& context) {
  return string_parameter(parameters, "service") == context.service;
}

// What a GetUserRecord/GetGroupRecord call asks for: a name, an id, both (the one record found
// must then have both), or neither (every record, which needs `more`).
struct RecordLookup {
  std::optional<std::string> name;
  std::optional<std::uint32_t> id;

  bool names_one() const { return name || id; }
  AccountKey key() const { return id ? AccountKey{*id} : AccountKey{*name}; }
};

// The error for what a lookup found (`id` is its uid or gid member), or none when it is the answer.
template <class Account>
const char* refusal(const RecordLookup& lookup, const std::optional<Account>& found,
                    std::uint32_t Account::*id) {
  if (!found) return errors::kNoRecordFound;
  if ((lookup.id && (*found).*id != *lookup.id) || (lookup.name && found->name != *lookup.name))
    return errors::kConflictingRecordFound;
  return nullptr;
}

RecordLookup lookup_of(const Request& request, const char* name_key, const char* id_key) {
  return {string_parameter(request.parameters, name_key), id_parameter(request.parameters, id_key)};
}

template <class Enumerate>
void stream_records(const Request& request, ReplySink& sink, const Enumerate& enumerate) {
  if (!request.more) return reply_error(sink, errors::kExpectedMore);
  RecordStream stream(sink, request.more);
  enumerate(stream);
  stream.finish();
}

void get_user_record(const Request& request, const CallContext& context, AccountSource& source,
                     ReplySink& sink) {
  const RecordLookup lookup = lookup_of(request, "userName", "uid");
  if (!service_matches(request.parameters, context)) return reply_error(sink, errors::kBadService);
  const auto reply = [&](const UserAccount& user) {
    return user_reply(user, context.service, context.peer_uid);
  };
  if (!lookup.names_one())
    return stream_records(request, sink, [&](RecordStream& stream) {
      source.for_each_user([&](const UserAccount& user) { return stream.add(reply(user)); });
    });
  const auto user = source.find_user(lookup.key());
  if (const char* error = refusal(lookup, user, &UserAccount::uid)) return reply_error(sink, error);
  sink.send(format_reply(reply(*user)));
}

void get_group_record(const Request& request, const CallContext& context, AccountSource& source,
                      ReplySink& sink) {
  const RecordLookup lookup = lookup_of(request, "groupName", "gid");
  if (!service_matches(request.parameters, context)) return reply_error(sink, errors::kBadService);
  if (!lookup.names_one())
    return stream_records(request, sink, [&](RecordStream& stream) {
      source.for_each_group(
          [&](const GroupAccount& group) { return stream.add(group_reply(group, context.service)); });
    });
  const auto group = source.find_group(lookup.key());
  if (const char* error = refusal(lookup, group, &GroupAccount::gid)) return reply_error(sink, error);
  sink.send(format_reply(group_reply(*group, context.service)));
}

void get_memberships(const Request& request, const CallContext& context, AccountSource& source,
                     ReplySink& sink) {
  const auto user = string_parameter(request.parameters, "userName");
  const auto group = string_parameter(request.parameters, "groupName");
  if (!service_matches(request.parameters, context)) return reply_error(sink, errors::kBadService);
  // With both names the answer is one pair or none; anything else may be many.
  if (!request.more && !(user && group)) return reply_error(sink, errors::kExpectedMore);
  RecordStream stream(sink, request.more);
  source.for_each_membership(user, group, [&](const std::string& member, const std::string& of) {
    if ((user && member != *user) || (group && of != *group)) return true;  // a sloppy source
    return stream.add({{"userName", member}, {"groupName", of}});
  });
  stream.finish();
}

void get_info(ReplySink& sink) {
  sink.send(format_reply({{"vendor", "usersctl"},
                          {"product", "usersctl userdb service"},
                          {"version", kVersion},
                          {"url", "https://systemd.io/USER_GROUP_API"},
                          {"interfaces", json::array({"io.systemd.UserDatabase"})}}));
}

void route(const Request& request, const CallContext& context, AccountSource& source, ReplySink& sink) {
  if (request.method == "io.systemd.UserDatabase.GetUserRecord")
    return get_user_record(request, context, source, sink);
  if (request.method == "io.systemd.UserDatabase.GetGroupRecord")
    return get_group_record(request, context, source, sink);
  if (request.method == "io.systemd.UserDatabase.GetMemberships")
    return get_memberships(request, context, source, sink);
  if (request.method == "org.varlink.service.GetInfo") return get_info(sink);
  sink.send(format_error(errors::kMethodNotFound, {{"method", request.method}}));
}

}  // namespace

void dispatch(const Request& request, const CallContext& context, AccountSource& source, ReplySink& sink) {
  if (request.oneway) return;  // lookups only: nothing to do when nobody listens
  try {
    route(request, context, source, sink);
  } catch (const InvalidParameter& invalid) {
    sink.send(format_error(errors::kInvalidParameter, {{"parameter", invalid.name}}));
  } catch (const Unavailable&) {
    sink.send(format_error(errors::kServiceNotAvailable));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "usersctl userdb: account lookup failed: %s\n", error.what());
    sink.send(format_error(errors::kServiceNotAvailable));
  }
}

}  // namespace usersctl::userdb
