#!/usr/bin/env bash
# usersctl's LDIF against a real OpenLDAP (issue 18): slapd unpacked from Debian's package
# (scripts/fetch-slapd, never installed), on 127.0.0.1 at a high port, an mdb database in a temp
# dir, the core, cosine, nis and inetorgperson schemas. ldapadd of `export --format ldif` must
# succeed, ldapsearch must find the right uidNumber and memberUid, and slapcat's output imported
# into an empty database must give the same users and groups. On SQLite, and on PostgreSQL too
# when USERSCTL_TEST_PG_URL names a cluster (each with its own fresh slapd).
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
pg_databases=()
stop_slapd() {
  if [[ -n "$slapd_pid" ]]; then kill "$slapd_pid" 2>/dev/null || true; wait "$slapd_pid" 2>/dev/null || true; fi
  slapd_pid=""
}
cleanup() {
  stop_slapd
  for name in "${pg_databases[@]}"; do
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "slapd_roundtrip: FAIL ($backend): $*" >&2; exit 1; }

base="dc=example,dc=com"
schema="$root/etc/ldap/schema"
ldap=()
# start_slapd DIR: a fresh slapd with an empty mdb database in DIR.
start_slapd() {
  local dir=$1
  mkdir -p "$dir/db"
  cat >"$dir/slapd.conf" <<CONF
include $schema/core.schema
include $schema/cosine.schema
include $schema/nis.schema
include $schema/inetorgperson.schema
modulepath $root/usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
database mdb
maxsize 1073741824
suffix "$base"
rootdn "cn=admin,$base"
rootpw secret
directory $dir/db
CONF
  local port=$((20000 + RANDOM % 20000))
  local url="ldap://127.0.0.1:$port/"
  "$root/usr/sbin/slapd" -f "$dir/slapd.conf" -h "$url" -d 0 >"$dir/slapd.log" 2>&1 &
  slapd_pid=$!
  ldap=(-x -H "$url" -D "cn=admin,$base" -w secret)
  for _ in $(seq 100); do
    "$root/usr/bin/ldapsearch" "${ldap[@]}" -s base -b "" >/dev/null 2>&1 && return 0
    kill -0 "$slapd_pid" 2>/dev/null || { cat "$dir/slapd.log" >&2; fail "slapd did not start"; }
    sleep 0.1
  done
  fail "slapd did not answer on $url"
}

# roundtrip DIR DB COPY: DB filled by usersctl, its LDIF added to a fresh slapd, searched, then
# slapcat's output imported into the empty COPY, which must hold the same users and groups.
roundtrip() {
  local dir=$1 db=$2 copy=$3
  mkdir -p "$dir"
  start_slapd "$dir"
  # The directory usersctl exports: Unicode, a disabled user, an empty group, a private group, an
  # account that expires.
  u() { "$usersctl" --db "$db" -q "$@"; }
  u group create staff --gid 500 --description "Staff, all = everyone"
  u group create empty --gid 600
  u add alice --uid 1000 --name "Alice Liddell" --email alice@example.com --group staff
  u add bob --uid 1001 --name "Bøb Ünïcødé 山田" --group staff --primary-group staff
  u add carol --uid 2000 --disabled --expires-at 2031-03-03
  printf 's3cret\n' | u passwd alice --password-stdin

  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n' "$base" \
    >"$dir/base.ldif"
  "$root/usr/bin/ldapadd" "${ldap[@]}" -f "$dir/base.ldif" >/dev/null || fail "ldapadd of the base entry"
  "$usersctl" --db "$db" export --format ldif --base-dn "$base" --include-password-hashes >"$dir/users.ldif"
  "$usersctl" --db "$db" export --format ldif --base-dn "$base" >"$dir/plain.ldif"  # hashes are salted
  "$root/usr/bin/ldapadd" "${ldap[@]}" -f "$dir/users.ldif" >"$dir/ldapadd.out" 2>&1 ||
    { cat "$dir/ldapadd.out" >&2; fail "ldapadd of usersctl's LDIF"; }

  search() { "$root/usr/bin/ldapsearch" "${ldap[@]}" -LLL -o ldif-wrap=no -b "$base" "$@"; }
  search "(uid=alice)" uidNumber | grep -qx "uidNumber: 1000" || fail "alice's uidNumber"
  search "(&(objectClass=posixAccount)(uidNumber=1001))" uid | grep -qx "uid: bob" || fail "bob by uidNumber"
  search "(uid=carol)" shadowExpire | grep -qx "shadowExpire: 22341" || fail "carol's shadowExpire"
  local members
  members="$(search "(cn=staff)" memberUid | grep '^memberUid:' | sort | tr '\n' ' ')"
  [[ "$members" == "memberUid: alice memberUid: bob " ]] || fail "staff's memberUid: $members"
  search "(cn=empty)" gidNumber | grep -qx "gidNumber: 600" || fail "the empty group"

  stop_slapd
  "$root/usr/sbin/slapcat" -f "$dir/slapd.conf" -l "$dir/slapcat.ldif" 2>/dev/null || fail "slapcat"
  grep -q '^entryUUID:' "$dir/slapcat.ldif" || fail "slapcat printed no operational attributes"
  grep -q '^ ' "$dir/slapcat.ldif" || fail "slapcat folded no line (the test would not read a fold)"
  grep -q '^cn:: ' "$dir/slapcat.ldif" || fail "slapcat printed no base64 value"

  "$usersctl" --db "$copy" import --format ldif "$dir/slapcat.ldif" || fail "importing slapcat's output"
  local fields='import json,sys
for line in sys.stdin:
    r = json.loads(line)
    print(json.dumps({k: r.get(k) for k in sys.argv[1].split(",")}, sort_keys=True, ensure_ascii=False))'
  local users="username,uid,gid,name,email,home,shell,disabled,groups,expires_at"
  local groups="name,gid,description,members"
  diff <("$usersctl" --db "$db" list -o jsonl | python3 -c "$fields" "$users") \
    <("$usersctl" --db "$copy" list -o jsonl | python3 -c "$fields" "$users") || fail "the users differ"
  diff <("$usersctl" --db "$db" group list -o jsonl | python3 -c "$fields" "$groups") \
    <("$usersctl" --db "$copy" group list -o jsonl | python3 -c "$fields" "$groups") || fail "the groups differ"
  printf 's3cret\n' | "$usersctl" --db "$copy" check-password alice --password-stdin || fail "alice's password"
}

backend=sqlite
roundtrip "$tmp/sqlite" "$tmp/sqlite/users.db" "$tmp/sqlite/copy.db"
ran="sqlite"

# The same on PostgreSQL when there is a cluster (scripts/test, scripts/with-pg); in CI there must be.
pg_admin="${USERSCTL_TEST_PG_URL-}"
if [[ -n "$pg_admin" ]]; then
  backend=postgresql
  command -v psql >/dev/null || fail "USERSCTL_TEST_PG_URL is set but there is no psql"
  # The admin URL names a database (postgresql://USER@/DB?host=...): the scratch ones replace it.
  pg_url() {
    local before="${pg_admin%%\?*}" query="${pg_admin#"${pg_admin%%\?*}"}"
    [[ "$before" == *://*/* ]] && before="${before%/*}"
    echo "$before/$1$query"
  }
  for name in "usersctl_ldap_$$_a" "usersctl_ldap_$$_b"; do
    psql -q "$pg_admin" -c "CREATE DATABASE $name" >/dev/null || fail "CREATE DATABASE $name"
    pg_databases+=("$name")
  done
  roundtrip "$tmp/postgresql" "$(pg_url "${pg_databases[0]}")" "$(pg_url "${pg_databases[1]}")"
  diff "$tmp/sqlite/plain.ldif" "$tmp/postgresql/plain.ldif" >&2 || fail "its LDIF differs from SQLite's"
  ran+=" and postgresql"
elif [[ "${CI-}" == true ]]; then
  backend=postgresql
  fail "no USERSCTL_TEST_PG_URL in CI: the PostgreSQL half would go missing quietly"
fi
echo "slapd_roundtrip: ok on $ran (ldapadd, ldapsearch, slapcat -> import)"
