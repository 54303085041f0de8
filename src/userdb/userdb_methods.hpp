#pragma once
// The io.systemd.UserDatabase methods (systemd.io/USER_GROUP_API): GetUserRecord,
// GetGroupRecord, GetMemberships, plus org.varlink.service.GetInfo.

#include <cstdint>
#include <optional>
#include <string>

#include "userdb/account.hpp"
#include "userdb/reply_stream.hpp"
#include "userdb/varlink_message.hpp"

namespace usersctl::userdb {

struct CallContext {
  std::string service;                    // our service name: the socket's file name
  std::optional<std::uint32_t> peer_uid;  // SO_PEERCRED; unknown = untrusted
};

// Answers one call through `sink`: records as the source yields them (enumerations stream,
// nothing is collected), or one error. Lookups have no side effects, so a `oneway` call gets
// nothing. Source failures (usersctl::Unavailable or any other exception) become
// ServiceNotAvailable; dispatch itself never throws for a source's sake.
void dispatch(const Request& request, const CallContext& context, AccountSource& source, ReplySink& sink);

}  // namespace usersctl::userdb
