#!/bin/bash
# usersctl as the host's user database, end to end: the real `usersctl userdb serve` on a real
# database, asked by the host's own clients (getent, id, pam_unix via pamtester, sshd) through
# nss-systemd. Nothing on the host changes: everything runs in a private mount namespace with a
# tmpfs over /run and bind mounts over /etc/passwd and /etc/pam.d; files live in a temp folder;
# every process started is killed by its PID.
#
#   sudo tests/host/check_host.sh build/usersctl sqlite
#   sudo USERSCTL_TEST_PG_URL=postgresql://… tests/host/check_host.sh build/usersctl postgresql
#
# Exit 0: every check passed; 1: a check failed; 77: skipped, when not root or no mount namespace
# can be made (unshare missing or not permitted), or this host is not one nss-systemd serves.
# A missing tool (pamtester, sshd, ...) or PostgreSQL cluster skips too, except with CI=true, where
# it fails (exit 1): CI must not pass by testing nothing.
set -u
usersctl=$(realpath "$1")
backend=${2:-sqlite}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

skip() {
  echo "SKIP: $*" >&2
  exit 77
}
need() {
  if [[ ${CI:-} == true ]]; then
    echo "FAIL (CI=true, so no skipping): $*" >&2
    exit 1
  fi
  skip "$@"
}

if [[ -z ${USERSCTL_HOST_TEST_IN_NAMESPACE:-} ]]; then
  ((EUID == 0)) || skip "needs root (a private mount namespace, getent shadow, sshd)"
  command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
  for tool in getent id setpriv pamtester ssh ssh-keygen /usr/sbin/sshd python3; do
    command -v "$tool" >/dev/null || need "$tool is not installed (scripts/bootstrap installs it)"
  done
  if [[ $backend == postgresql ]]; then
    [[ -n ${USERSCTL_TEST_PG_URL:-} ]] || need "USERSCTL_TEST_PG_URL is not set (scripts/test sets it)"
    command -v psql >/dev/null || need "psql is not installed"
  fi
  grep -Eq '^passwd:.*\bsystemd\b' /etc/nsswitch.conf || skip "/etc/nsswitch.conf does not list systemd for passwd"
  ldconfig -p | grep -q 'libnss_systemd\.so' || need "nss-systemd (libnss-systemd) is not installed"
  unshare --mount --propagation private true 2>/dev/null || skip "unshare --mount is not permitted here"
  exec unshare --mount --propagation private env USERSCTL_HOST_TEST_IN_NAMESPACE=1 "$0" "$@"
fi

# ---- Inside the namespace: set up ----

work=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-host.XXXXXX")
chmod 755 "$work"
pids=()
pg_database=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -n $pg_database ]]; then
    psql "$USERSCTL_TEST_PG_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" >/dev/null 2>&1
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# /run: a tmpfs of our own, for the userdb socket and sshd's /run/sshd (the host has neither to spare).
mount -t tmpfs -o mode=755 tmpfs /run || exit 1
mkdir -p /run/systemd/userdb /run/sshd /run/usersctl-test
chmod 755 /run/systemd/userdb /run/usersctl-test

# /etc/passwd with one more host account, to see that ours never shadows the host's.
cp /etc/passwd "$work/passwd"
echo 'collide:x:4242:4242::/:/bin/false' >>"$work/passwd"
mount --bind "$work/passwd" /etc/passwd || exit 1

# PAM: the host's services plus ours, pam_unix only (no loginuid, motd or selinux in a namespace).
mkdir "$work/pam.d"
cp -a /etc/pam.d/. "$work/pam.d/"
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_unix.so\n' \
  | tee "$work/pam.d/usersctl-test" >"$work/pam.d/sshd"
mount --bind "$work/pam.d" /etc/pam.d || exit 1

export SYSTEMD_ONLY_USERDB=io.usersctl.UserDatabase
export USERSCTL_DB
case $backend in
  sqlite) USERSCTL_DB=$work/users.db ;;
  postgresql)
    pg_database="usersctl_host_$$_$RANDOM"
    psql "$USERSCTL_TEST_PG_URL" -qAtc "CREATE DATABASE \"$pg_database\"" || exit 1
    USERSCTL_DB=$(sed -E "s#^(postgresql://[^/]*/)[^?]*#\1$pg_database#" <<<"$USERSCTL_TEST_PG_URL")
    ;;
  *) echo "unknown backend '$backend' (sqlite or postgresql)" >&2; exit 2 ;;
esac
u() { "$usersctl" --db "$USERSCTL_DB" -q "$@"; }

failures=0
check() {  # check DESCRIPTION EXPECTED-GLOB COMMAND...
  local description=$1 expected=$2 actual
  shift 2
  actual=$("$@" 2>&1)
  # shellcheck disable=SC2053  # the expectation is a glob
  if [[ $actual == $expected ]]; then
    printf 'ok   %s\n     $ %s\n     %s\n' "$description" "$*" "${actual:0:300}"
  else
    printf 'FAIL %s\n     $ %s\n     got:      %s\n     expected: %s\n' "$description" "$*" "${actual:0:2000}" "$expected"
    failures=$((failures + 1))
  fi
}
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
elapsed() {  # elapsed COMMAND...: "rc=N fast" when it ended within 3 s, else "rc=N slow:MSms"
  local start rc ms
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  if ((ms < 3000)); then echo "rc=$rc fast"; else echo "rc=$rc slow:${ms}ms"; fi
}

socket=/run/systemd/userdb/io.usersctl.UserDatabase
start_service() {
  "$usersctl" --db "$USERSCTL_DB" userdb serve --socket "$socket" 2>>"$work/serve.log" &
  service_pid=$!
  pids+=("$service_pid")
  for _ in $(seq 200); do [[ -S $socket ]] && return 0; sleep 0.05; done
  echo "the service did not create $socket:" >&2
  cat "$work/serve.log" >&2
  return 1
}

# ---- The records, then the service ----

printf 'alice-secret\n' | u add alice --uid 61001 --name 'Alice Host' --password-stdin || exit 1
printf 'bob-secret\n' | u add bob --uid 61002 --password-stdin || exit 1
u group create hostdevs --gid 61100 || exit 1
u group add hostdevs alice bob || exit 1
u add collide --uid 4243 || exit 1
start_service || exit 1
source "$here/host_checks.sh"

kill "$service_pid"
wait "$service_pid"
check "service exits 0 on SIGTERM" 'rc=0' echo "rc=$?"
check "service removed its socket" 'gone' bash -c "[[ -e $socket ]] || echo gone"

# Socket activation as usersctl-userdb.socket does it: systemd passes fd 3 (LISTEN_FDS).
if command -v systemd-socket-activate >/dev/null; then
  rm -f "$socket"
  systemd-socket-activate -l "$socket" "$usersctl" --db "$USERSCTL_DB" userdb serve 2>>"$work/serve.log" &
  service_pid=$!
  pids+=("$service_pid")
  for _ in $(seq 200); do [[ -S $socket ]] && break; sleep 0.05; done
  check "socket activation: served on the passed socket" 'alice:x:61001:*' getent passwd alice
  kill "$service_pid"
  wait "$service_pid"
  check "socket activation: exits 0, leaves systemd's socket" 'rc=0 kept' bash -c "echo rc=$? \$([[ -S $socket ]] && echo kept)"
fi

echo "$failures failure(s) ($backend)"
exit $((failures > 0))
