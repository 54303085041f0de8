#!/bin/bash
# Checks the userdb service against the real client, nss-systemd, without changing the host:
# everything runs in a private mount namespace where /run/systemd/userdb is a fresh tmpfs.
#
#   sudo tests/userdb/check_nss_systemd.sh build/tests/userdb_fixture_server
#
# Needs root (mount namespace, getent shadow) and nsswitch.conf naming `systemd` for passwd,
# group and shadow (Debian 12's default). Exits non-zero when a check fails.
set -u
server=$(realpath "$1")

if [[ -z ${USERDB_CHECK_IN_NAMESPACE:-} ]]; then
  exec unshare --mount --propagation private env USERDB_CHECK_IN_NAMESPACE=1 "$0" "$@"
fi

[[ -d /run/systemd ]] || { echo "no /run/systemd on this host" >&2; exit 1; }
# Mounts made here vanish with the namespace; a directory made with mkdir would not, so when the
# host has no /run/systemd/userdb the tmpfs goes over /run/systemd itself.
if [[ -d /run/systemd/userdb ]]; then
  mount -t tmpfs tmpfs /run/systemd/userdb
else
  mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/userdb
fi

socket=/run/systemd/userdb/io.usersctl.UserDatabase
"$server" --socket "$socket" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.05; done

failures=0
check() {  # check DESCRIPTION EXPECTED COMMAND...
  local description=$1 expected=$2 actual
  shift 2
  actual=$("$@" 2>&1)
  if [[ $actual == $expected ]]; then
    printf 'ok   %s\n     $ %s\n     %s\n' "$description" "$*" "$actual"
  else
    printf 'FAIL %s\n     $ %s\n     got:      %s\n     expected: %s\n' "$description" "$*" "$actual" "$expected"
    failures=$((failures + 1))
  fi
}
only() { SYSTEMD_ONLY_USERDB=io.usersctl.UserDatabase "$@"; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
as_udalice() { setpriv --reuid=61001 --regid=61001 --clear-groups "$@"; }
hash='$6$usersctlfixture$*'

check "passwd by name" 'udalice:x:61001:61001:Alice Fixture:/home/udalice:/bin/bash' only getent passwd udalice
check "passwd by uid" 'udalice:x:61001:61001:Alice Fixture:/home/udalice:/bin/bash' getent passwd 61001
check "passwd by name, unprivileged caller" 'udalice:x:61001:*' nobody getent passwd udalice
check "group by name (members)" 'uddevs:x:61100:udalice' getent group uddevs
check "group by gid" 'udalice:x:61001:udalice' getent group 61001
check "id (memberships)" 'uid=61001(udalice) gid=61001(udalice) groups=61001(udalice),61100(uddevs)' id udalice
check "shadow as root shows the hash" "udalice:${hash}:*" getent shadow udalice
check "shadow of a locked user is unusable" 'udbob:!$6$usersctlfixture$*' getent shadow udbob
check "shadow as nobody: nothing" '' nobody getent shadow udalice
check "enumeration lists the fixture users" '*udalice:x:61001*udbob:x:61002*' only getent passwd
check "host accounts win: root is still the host's" "$(grep '^root:' /etc/passwd)" getent passwd root
check "unknown user" '' getent passwd udnobody
check "pam_unix helper, right password" 'rc=0' bash -c "printf 'secret\\0' | setpriv --reuid=61001 --regid=61001 --clear-groups /sbin/unix_chkpwd udalice nullok; echo rc=\$?"
check "pam_unix helper, wrong password" 'rc=7' bash -c "printf 'wrong\\0' | setpriv --reuid=61001 --regid=61001 --clear-groups /sbin/unix_chkpwd udalice nullok; echo rc=\$?"
check "pam_unix helper, locked user, right password" 'rc=7' bash -c "printf 'secret\\0' | setpriv --reuid=61002 --regid=61002 --clear-groups /sbin/unix_chkpwd udbob nullok; echo rc=\$?"
check "own uid sees its privileged record (shadow)" "udalice:${hash}:*" as_udalice getent shadow udalice

kill "$server_pid"
wait "$server_pid"
check "server exits 0 on SIGTERM" 'rc=0' echo "rc=$?"
check "server removed its socket" 'gone' bash -c "[[ -e $socket ]] || echo gone"

# A database that stopped answering: the service says ServiceNotAvailable at its 2 s deadline,
# so getent fails fast instead of hanging the host.
"$server" --socket "$socket" --hang &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.05; done
check "hung database: getent gives up within the deadline" 'rc=2 fast' bash -c \
  "start=\$(date +%s%N); getent passwd udalice; rc=\$?; ms=\$(( (\$(date +%s%N) - start) / 1000000 )); \
   echo \"rc=\$rc \$( ((ms < 3000)) && echo fast || echo slow:\${ms}ms)\""
kill "$server_pid"
wait "$server_pid"
trap - EXIT
echo "$failures failure(s)"
exit $((failures > 0))
