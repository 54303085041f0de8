#!/usr/bin/env bash
# Failover without loss (issue 19), on this machine: a PostgreSQL primary and a synchronous
# standby on 127.0.0.1 (initdb + pg_basebackup, synchronous_standby_names), 8 writers adding users
# in a loop through the multi-host URL, SIGKILL of every process of the primary mid-run, then
# `pg_ctl promote` of the standby. Afterwards every add that exited 0 is there with exactly one
# event, event sequences are gap-free, no user has two events, and no add exited 1 (6 is allowed:
# "outcome unknown" or no server within the busy timeout).
#
#   tests/ha/failover.sh build/usersctl          # prints the figures on stderr; exit 0: passed
#
# Runs the servers as the `postgres` user when root. Everything it starts is stopped by PID and
# its temp dir removed, whatever happens. Env: USERSCTL_PG_BINDIR (default: PostgreSQL 15).
set -euo pipefail

usersctl=$(realpath "${1:?usage: failover.sh USERSCTL_BINARY}")
writers=${FAILOVER_WRITERS:-8}
before_s=${FAILOVER_BEFORE_S:-3}
after_s=${FAILOVER_AFTER_S:-4}

bindir=${USERSCTL_PG_BINDIR:-}
if [[ -z "$bindir" ]]; then
  for dir in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
    [[ -x "$dir/initdb" ]] && bindir=$dir && break
  done
fi
[[ -x "$bindir/initdb" ]] || { echo "failover: no PostgreSQL server binaries" >&2; exit 77; }

as=()
if ((EUID == 0)); then
  id postgres >/dev/null 2>&1 || { echo "failover: root without a postgres user" >&2; exit 77; }
  as=(runuser -u postgres --)
  work=$(mktemp -d /tmp/usersctl-ha.XXXXXX)
  chown postgres: "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-ha.XXXXXX")
fi
writer_pids=()
follower_pids=()

# Every process of a cluster, by the pids its postmaster.pid and the process table give.
cluster_pids() {
  local pid
  pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  echo "$pid"
  pgrep -P "$pid" || true
}

cleanup() {
  local pid
  touch "$work/stop" 2>/dev/null || true
  for pid in "${writer_pids[@]}" "${follower_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for data in "$work/primary" "$work/standby"; do
    for pid in $(cluster_pids "$data"); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  wait 2>/dev/null || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

base=$((40000 + RANDOM % 20000))
p1=$base
p2=$((base + 1))
say() { echo "failover: $*" >&2; }

"${as[@]}" "$bindir/initdb" -D "$work/primary" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$work/initdb.log" 2>&1
cat >>"$work/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $p1
unix_socket_directories = '$work'
wal_level = replica
max_wal_senders = 5
hot_standby = on
synchronous_commit = on
synchronous_standby_names = 'standby1'
fsync = off
EOF
"${as[@]}" "$bindir/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w -t 60 -s start
"${as[@]}" "$bindir/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$work/standby" -R -X stream \
  >"$work/basebackup.log" 2>&1
# After the primary_conninfo pg_basebackup -R wrote (the last one wins): a name for
# synchronous_standby_names.
cat >>"$work/standby/postgresql.auto.conf" <<EOF
port = $p2
primary_conninfo = 'host=127.0.0.1 port=$p1 user=postgres application_name=standby1'
synchronous_standby_names = ''
EOF
"${as[@]}" "$bindir/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w -t 60 -s start

psql1() { "$bindir/psql" -X -A -t -q -h 127.0.0.1 -p "$p1" -U postgres -c "$1" postgres; }
psql2() { "$bindir/psql" -X -A -t -q -h 127.0.0.1 -p "$p2" -U postgres -c "$1" postgres; }
for _ in $(seq 100); do
  [[ "$(psql1 "SELECT sync_state FROM pg_stat_replication" 2>/dev/null)" == sync ]] && break
  sleep 0.1
done
[[ "$(psql1 "SELECT sync_state FROM pg_stat_replication")" == sync ]] || { say "standby is not synchronous: $(psql1 "SELECT application_name, state, sync_state FROM pg_stat_replication" 2>&1) $(tail -n 3 "$work/standby.log")"; exit 1; }

url="postgresql://postgres@127.0.0.1:$p1,127.0.0.1:$p2/postgres?target_session_attrs=read-write&connect_timeout=2"
export USERSCTL_BUSY_TIMEOUT_MS=${USERSCTL_BUSY_TIMEOUT_MS:-15000}
"$usersctl" --db "$url" -q group create ha

# One writer: adds w<N>-<i> until told to stop, one line per add: name exit start_ms end_ms.
writer() {
  local n=$1 i=0 start end rc
  while [[ ! -e "$work/stop" ]]; do
    i=$((i + 1))
    start=$(date +%s%3N)
    rc=0
    "$usersctl" --db "$url" -q add "w$n-$i" 2>>"$work/writer$n.err" || rc=$?
    end=$(date +%s%3N)
    echo "w$n-$i $rc $start $end" >>"$work/writer$n.log"
  done
}
# Two followers, which must carry on through the failover and print every event once, in order:
# one through the multi-host URL (LISTEN on the primary, then on the promoted server), one on the
# standby through --read-db (which refuses LISTEN: it polls, then follows the promotion).
"$usersctl" --db "$url" events tail --follow >"$work/follow-primary" 2>"$work/follow-primary.err" &
follower_pids+=("$!")
"$usersctl" --db "$url" --read-db "postgresql://postgres@127.0.0.1:$p2/postgres?connect_timeout=2" \
  events tail --follow >"$work/follow-standby" 2>"$work/follow-standby.err" &
follower_pids+=("$!")
t0=$(date +%s%3N)
for n in $(seq "$writers"); do
  writer "$n" &
  writer_pids+=("$!")
done
sleep "$before_s"

kill_ms=$(date +%s%3N)
for pid in $(cluster_pids "$work/primary"); do kill -KILL "$pid" 2>/dev/null || true; done
say "SIGKILLed the primary at +$((kill_ms - t0)) ms"
"${as[@]}" "$bindir/pg_ctl" -D "$work/standby" -w -t 60 -s promote
promoted_ms=$(date +%s%3N)
say "promoted the standby $((promoted_ms - kill_ms)) ms later"
sleep "$after_s"
touch "$work/stop"
for pid in "${writer_pids[@]}"; do wait "$pid" || true; done
writer_pids=()
t1=$(date +%s%3N)

cat "$work"/writer*.log >"$work/adds"
ok=$(awk '$2 == 0' "$work/adds" | wc -l)
total=$(wc -l <"$work/adds")
ones=$(awk '$2 == 1' "$work/adds" | wc -l)
others=$(awk '$2 != 0 && $2 != 6' "$work/adds" | wc -l)
sixes=$(awk '$2 == 6' "$work/adds" | wc -l)
max_wait=$(awk '{d = $4 - $3; if (d > m) m = d} END {print m + 0}' "$work/adds")
before_rate=$(awk -v k="$kill_ms" -v t="$t0" '$2 == 0 && $4 < k' "$work/adds" | wc -l)
after_rate=$(awk -v p="$promoted_ms" '$2 == 0 && $3 > p' "$work/adds" | wc -l)
say "$total adds, $ok exited 0, $sixes exited 6, $ones exited 1, $others other"
# How long writing stopped: the first add that began after the kill and exited 0 ended this long
# after the kill (adds in flight at the kill show in the longest add).
first_after=$(awk -v k="$kill_ms" '$2 == 0 && $3 >= k {if (m == 0 || $4 < m) m = $4} END {printf "%.0f\n", m}' "$work/adds")
say "the first add begun after the kill ended $((first_after - kill_ms)) ms after it"
say "writes/s: $((ok * 1000 / (t1 - t0))) overall, $((before_rate * 1000 / (kill_ms - t0))) before the kill," \
  "$((after_rate * 1000 / (t1 - promoted_ms))) after the promotion; longest add took $max_wait ms"
cat "$work"/writer*.err >"$work/errors"
[[ -s "$work/errors" ]] && say "the writers said: $(cut -c1-240 "$work/errors" | sort -u | head -n 3 | tr '\n' '|')"

status=0
((ones == 0)) || { say "FAIL: $ones adds exited 1"; status=1; }
((others == 0)) || { say "FAIL: $others adds exited with neither 0 nor 6"; status=1; }
((ok > 0)) || { say "FAIL: no add succeeded"; status=1; }

# On the promoted server: each user of an add that exited 0 exists with exactly one event; no user
# has two events; sequences run 1..N without a gap.
psql2 "SELECT username FROM users" | sort >"$work/users"
psql2 "SELECT substr(body::json->>'subject', 7) FROM events WHERE type = 'user.created'" | sort >"$work/created"
awk '$2 == 0 {print $1}' "$work/adds" | sort >"$work/succeeded"
missing=$(comm -23 "$work/succeeded" "$work/users" | wc -l)
((missing == 0)) || { say "FAIL: $missing adds exited 0 but their user is gone"; status=1; }
twice=$(uniq -d "$work/created" | wc -l)
((twice == 0)) || { say "FAIL: $twice users have two user.created events"; status=1; }
without=$(comm -23 "$work/users" "$work/created" | wc -l)
((without == 0)) || { say "FAIL: $without users without their event"; status=1; }
gaps=$(psql2 "SELECT count(*) FROM (SELECT sequence - lag(sequence) OVER (ORDER BY sequence) AS d FROM events) s WHERE d <> 1")
first=$(psql2 "SELECT min(sequence) FROM events")
((gaps == 0 && first == 1)) || { say "FAIL: event sequences have gaps ($gaps, first $first)"; status=1; }
events=$(psql2 "SELECT count(*) FROM events")
# The followers: every event 1..N once, in order, and still running (a follower that died at the
# kill, or on the standby's refusal of LISTEN, has stopped short).
sleep 1
for name in primary standby; do
  follower=${follower_pids[0]}
  [[ $name == standby ]] && follower=${follower_pids[1]}
  kill -0 "$follower" 2>/dev/null || { say "FAIL: the $name follower stopped: $(head -c 300 "$work/follow-$name.err")"; status=1; }
  seen=$(python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["sequence"]) for l in open(sys.argv[1])))' "$work/follow-$name")
  [[ "$seen" == "$(seq -s ' ' 1 "$events")" ]] || { say "FAIL: the $name follower printed $(wc -w <<<"$seen") events, not 1..$events once each: ${seen:0:120}"; status=1; }
done
say "followers (multi-host URL; standby through --read-db): $(wc -l <"$work/follow-primary") and $(wc -l <"$work/follow-standby") events"
say "promoted server: $(wc -l <"$work/users") users, $events events, sequences 1..$events gap-free: $((gaps == 0))"
((status == 0)) && say "passed"
exit "$status"
