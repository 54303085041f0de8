#!/usr/bin/env bash
# A write whose connection drops while its COMMIT is out (issue 19), made to happen on purpose: a
# throwaway cluster (scripts/lib/pg.sh) whose commits wait for a synchronous standby that never
# comes (synchronous_standby_names = 'nobody'), so `usersctl add` hangs in COMMIT, having
# committed locally.
#  1. The session is ended (pg_terminate_backend) and the server stays: usersctl reconnects, finds
#     its event, and exits 0 with the change made once (no retry, no second event).
#  2. The server is stopped (immediate) and stays down past the busy timeout: exit 6 saying the
#     outcome is unknown and how to check (events list --since). Started again, the server has
#     the change: a retry would have made it twice.
#
#   tests/ha/commit_lost.sh build/usersctl
set -euo pipefail

usersctl=$(realpath "${1:?usage: commit_lost.sh USERSCTL_BINARY}")
# shellcheck source=../../scripts/lib/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/pg.sh"
add_pid=""
stop_all() {
  [[ -n "$add_pid" ]] && kill "$add_pid" 2>/dev/null
  wait 2>/dev/null
  pg_stop
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
pg_start || exit 77
url=$USERSCTL_TEST_PG_URL
sock=$(sed -E 's/.*host=([^&]*).*/\1/' <<<"$url")
port=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$url")
psql() { "$PG_BINDIR/psql" "$url" -X -A -t -q -c "$1"; }
say() { echo "commit_lost: $*" >&2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-commit-lost.XXXXXX")
trap 'stop_all; rm -rf -- "$out"' EXIT
status=0

"$usersctl" --db "$url" -q add before
psql "ALTER SYSTEM SET synchronous_standby_names = 'nobody'" >/dev/null
# pg.sh starts the server with synchronous_commit=off; a database's setting beats the command line.
psql "ALTER DATABASE postgres SET synchronous_commit = on" >/dev/null
psql "SELECT pg_reload_conf()" >/dev/null
sleep 0.5

# Starts `usersctl add NAME` in the background and waits until its COMMIT waits for the standby.
add_until_syncrep() {
  USERSCTL_BUSY_TIMEOUT_MS=3000 "$usersctl" --db "$url" -q add "$1" >"$out/$1.out" 2>"$out/$1.err" &
  add_pid=$!
  for _ in $(seq 200); do
    [[ "$(psql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'usersctl' AND wait_event = 'SyncRep'")" == 1 ]] && return 0
    sleep 0.05
  done
  say "FAIL: add $1 never waited in COMMIT"
  exit 1
}

# 1. The session ends, the server stays.
add_until_syncrep ended
psql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'usersctl' AND wait_event = 'SyncRep'" >/dev/null
rc=0
wait "$add_pid" || rc=$?
add_pid=""
events=$(psql "SELECT count(*) FROM events WHERE subject = 'users/ended'")
users=$(psql "SELECT count(*) FROM users WHERE username = 'ended'")
say "session ended in COMMIT: exit $rc, $users user, $events event ($(tr '\n' ' ' <"$out/ended.err"))"
((rc == 0 && users == 1 && events == 1)) || { say "FAIL: want exit 0, one user, one event"; status=1; }

# 2. The server goes, past the busy timeout.
add_until_syncrep gone
"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -m immediate -w -s stop
rc=0
wait "$add_pid" || rc=$?
add_pid=""
err=$(cat "$out/gone.err")
say "server gone in COMMIT: exit $rc: $err"
((rc == 6)) || { say "FAIL: want exit 6"; status=1; }
[[ "$err" == *"whether the change was made is unknown"* && "$err" == *"events list --since"* ]] ||
  { say "FAIL: the message must say the outcome is unknown and how to check"; status=1; }
"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -l "$PG_WORKDIR/server.log" -w -t 60 -s \
  -o "-k $sock -p $port -c listen_addresses='' -c fsync=off" start >/dev/null
made=$("$usersctl" --db "$url" events list -o jsonl | grep -c '"subject":"users/gone"' || true)
say "after the restart: $made event for users/gone (the COMMIT had taken locally)"
((made == 1)) || { say "FAIL: want the one event of the add that exited 6"; status=1; }
((status == 0)) && say "passed"
exit "$status"
