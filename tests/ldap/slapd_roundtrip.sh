#!/usr/bin/env bash
# usersctl's LDIF against a real OpenLDAP (issue 18): slapd unpacked from Debian's package
# (scripts/fetch-slapd, never installed), on 127.0.0.1 at a high port, an mdb database in a temp
# dir, the core, cosine, nis and inetorgperson schemas. ldapadd of `export --format ldif` must
# succeed, ldapsearch must find the right uidNumber and memberUid, and slapcat's output imported
# into an empty database must give the same users and groups.
#
#   tests/ldap/slapd_roundtrip.sh path/to/usersctl
# Exit 77 (skipped) when slapd cannot be had, unless CI=true.
set -euo pipefail

usersctl="$1"
here="$(cd "$(dirname "$0")/../.." && pwd)"
skip() {
  echo "slapd_roundtrip: $*" >&2
  [[ "${CI-}" == true ]] && exit 1
  exit 77
}
root="$("$here/scripts/fetch-slapd" -q 2>/dev/null)" || skip "no slapd (scripts/fetch-slapd failed)"
command -v python3 >/dev/null || skip "no python3"
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

tmp="$(mktemp -d)"
slapd_pid=""
cleanup() {
  if [[ -n "$slapd_pid" ]]; then kill "$slapd_pid" 2>/dev/null || true; wait "$slapd_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "slapd_roundtrip: FAIL: $*" >&2; exit 1; }

base="dc=example,dc=com"
mkdir -p "$tmp/db"
schema="$root/etc/ldap/schema"
cat >"$tmp/slapd.conf" <<CONF
include $schema/core.schema
include $schema/cosine.schema
include $schema/nis.schema
include $schema/inetorgperson.schema
modulepath $root/usr/lib/ldap
moduleload back_mdb
pidfile $tmp/slapd.pid
database mdb
maxsize 1073741824
suffix "$base"
rootdn "cn=admin,$base"
rootpw secret
directory $tmp/db
CONF

port=$((20000 + RANDOM % 20000))
url="ldap://127.0.0.1:$port/"
"$root/usr/sbin/slapd" -f "$tmp/slapd.conf" -h "$url" -d 0 >"$tmp/slapd.log" 2>&1 &
slapd_pid=$!
ldap=(-x -H "$url" -D "cn=admin,$base" -w secret)
for _ in $(seq 100); do
  "$root/usr/bin/ldapsearch" "${ldap[@]}" -s base -b "" >/dev/null 2>&1 && break
  kill -0 "$slapd_pid" 2>/dev/null || { cat "$tmp/slapd.log" >&2; fail "slapd did not start"; }
  sleep 0.1
done

# The directory usersctl exports: Unicode, a disabled user, an empty group, a private group.
db="$tmp/users.db"
u() { "$usersctl" --db "$db" -q "$@"; }
u group create staff --gid 500 --description "Staff, all = everyone"
u group create empty --gid 600
u add alice --uid 1000 --name "Alice Liddell" --email alice@example.com --group staff
u add bob --uid 1001 --name "Bøb Ünïcødé 山田" --group staff --primary-group staff
u add carol --uid 2000 --disabled
printf 's3cret\n' | u passwd alice --password-stdin

printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n' "$base" >"$tmp/base.ldif"
"$root/usr/bin/ldapadd" "${ldap[@]}" -f "$tmp/base.ldif" >/dev/null || fail "ldapadd of the base entry"
"$usersctl" --db "$db" export --format ldif --base-dn "$base" --include-password-hashes >"$tmp/users.ldif"
"$root/usr/bin/ldapadd" "${ldap[@]}" -f "$tmp/users.ldif" >"$tmp/ldapadd.out" 2>&1 ||
  { cat "$tmp/ldapadd.out" >&2; fail "ldapadd of usersctl's LDIF"; }

search() { "$root/usr/bin/ldapsearch" "${ldap[@]}" -LLL -o ldif-wrap=no -b "$base" "$@"; }
search "(uid=alice)" uidNumber | grep -qx "uidNumber: 1000" || fail "alice's uidNumber"
search "(&(objectClass=posixAccount)(uidNumber=1001))" uid | grep -qx "uid: bob" || fail "bob by uidNumber"
members="$(search "(cn=staff)" memberUid | grep '^memberUid:' | sort | tr '\n' ' ')"
[[ "$members" == "memberUid: alice memberUid: bob " ]] || fail "staff's memberUid: $members"
search "(cn=empty)" gidNumber | grep -qx "gidNumber: 600" || fail "the empty group"

kill "$slapd_pid"
wait "$slapd_pid" 2>/dev/null || true
slapd_pid=""
"$root/usr/sbin/slapcat" -f "$tmp/slapd.conf" -l "$tmp/slapcat.ldif" 2>/dev/null || fail "slapcat"
grep -q '^entryUUID:' "$tmp/slapcat.ldif" || fail "slapcat printed no operational attributes"

copy="$tmp/copy.db"
"$usersctl" --db "$copy" import --format ldif "$tmp/slapcat.ldif" || fail "importing slapcat's output"
fields='import json,sys
for line in sys.stdin:
    r = json.loads(line)
    print(json.dumps({k: r.get(k) for k in sys.argv[1].split(",")}, sort_keys=True, ensure_ascii=False))'
users="username,uid,gid,name,email,home,shell,disabled,groups"
groups="name,gid,description,members"
diff <("$usersctl" --db "$db" list -o jsonl | python3 -c "$fields" "$users") \
  <("$usersctl" --db "$copy" list -o jsonl | python3 -c "$fields" "$users") || fail "the users differ"
diff <("$usersctl" --db "$db" group list -o jsonl | python3 -c "$fields" "$groups") \
  <("$usersctl" --db "$copy" group list -o jsonl | python3 -c "$fields" "$groups") || fail "the groups differ"
printf 's3cret\n' | "$usersctl" --db "$copy" check-password alice --password-stdin || fail "alice's password"
echo "slapd_roundtrip: ok (ldapadd, ldapsearch, slapcat -> import)"
