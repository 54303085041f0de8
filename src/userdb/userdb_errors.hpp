#pragma once
// The Varlink error names the service answers with.

namespace usersctl::userdb::errors {

inline constexpr const char* kNoRecordFound = "io.systemd.UserDatabase.NoRecordFound";
inline constexpr const char* kBadService = "io.systemd.UserDatabase.BadService";
inline constexpr const char* kConflictingRecordFound = "io.systemd.UserDatabase.ConflictingRecordFound";
inline constexpr const char* kServiceNotAvailable = "io.systemd.UserDatabase.ServiceNotAvailable";
inline constexpr const char* kEnumerationNotSupported = "io.systemd.UserDatabase.EnumerationNotSupported";
inline constexpr const char* kMethodNotFound = "org.varlink.service.MethodNotFound";
inline constexpr const char* kInvalidParameter = "org.varlink.service.InvalidParameter";
inline constexpr const char* kExpectedMore = "org.varlink.service.ExpectedMore";

}  // namespace usersctl::userdb::errors
