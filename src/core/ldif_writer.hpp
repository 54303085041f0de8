#pragma once
// Users and groups as LDIF (RFC 2849) entries in the RFC 2307 (nis) schema, for
// `export --format ldif`: what ldapadd loads into OpenLDAP with the core, cosine, nis and
// inetorgperson schemas. Pure: no store, no I/O.

#include <optional>
#include <string>

#include "model/group.hpp"
#include "model/user.hpp"

namespace usersctl::core {

class LdifWriter {
 public:
  // Throws Invalid when `base_dn` is empty or holds a control character. `with_hashes`
  // (--include-password-hashes): every user gets a userPassword.
  LdifWriter(std::string base_dn, bool with_hashes);

  // "version: 1" and the ou=people and ou=groups entries (the base entry is the server's).
  std::string header() const;
  // uid=NAME,ou=people,BASE: inetOrgPerson + posixAccount + shadowAccount. With hashes,
  // userPassword is {CRYPT} and the hash ('*' for none), '!' before it when disabled, as in shadow.
  std::string user_entry(const model::User& user, const std::optional<std::string>& hash) const;
  // cn=NAME,ou=groups,BASE: posixGroup with a memberUid per member.
  std::string group_entry(const model::Group& group) const;

  const std::string& people_dn() const { return people_; }
  const std::string& groups_dn() const { return groups_; }

 private:
  std::string base_;
  bool with_hashes_;
  std::string people_;
  std::string groups_;
};

}  // namespace usersctl::core
