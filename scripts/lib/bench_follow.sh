#!/usr/bin/env bash
# scripts/bench follow: how soon a committed change reaches a follower (issue 19: within 50 ms on
# PostgreSQL, woken by LISTEN/NOTIFY), against the polling fallback (every 250 ms) that is all a
# follower behind PgBouncer in transaction mode, on a standby or on SQLite gets.
#
# Cases, each on a database of its own: `events tail --follow` and `events consume --follow` on
# PostgreSQL directly (NOTIFY), through PgBouncer in transaction pooling mode (nothing tells
# usersctl it is there: what reaches the follower is its poll), and on SQLite (polling).
#
# How: one writer runs BENCH_FOLLOW_ADDS (40) `usersctl add`, each after a random pause of
# 100-350 ms (so the follower is idle, waiting, as a real one mostly is), and notes when each add
# started. Each add runs with --events, which prints its event right after COMMIT, through a bash
# loop that stamps every line as it arrives ($EPOCHREALTIME); the follower's output goes through
# the same loop (for consume, that loop is CMD: bash starts for every batch, as a real CMD's
# process would). Latency = arrival at the follower - arrival at the writer, i.e. from COMMIT
# (both sides pay the same pipe and stamp); "from the add's start" is the upper bound.
# Prints the median, P95 and max per case; exit 1 when PostgreSQL's NOTIFY case has a max over
# 50 ms.
#
# Env: BENCH_FOLLOW_ADDS (40); USERSCTL_BIN (else build-bench/usersctl is built). Runs itself under
# tests/ha/with-pgbouncer.sh (scripts/with-pg when pgbouncer is not installed: no PgBouncer case).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
say() { echo "scripts/bench follow: $*" >&2; }
if [[ -z "${USERSCTL_TEST_PG_URL-}" ]]; then
  if command -v pgbouncer >/dev/null || [[ -x /usr/sbin/pgbouncer ]]; then
    exec "$repo/tests/ha/with-pgbouncer.sh" "${BASH_SOURCE[0]}"
  fi
  exec "$repo/scripts/with-pg" "${BASH_SOURCE[0]}"
fi
adds=${BENCH_FOLLOW_ADDS:-40}

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")

direct=${USERSCTL_TEST_PG_DIRECT_URL:-$USERSCTL_TEST_PG_URL}
bouncer=${USERSCTL_TEST_PG_DIRECT_URL:+$USERSCTL_TEST_PG_URL}
psql=$(command -v psql)
for dir in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
  [[ -x "$dir/psql" ]] && psql=$dir/psql && break
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-bench-follow.XXXXXX")
chmod 755 "$tmp"
follower_pid=""
stamper_pid=""
cleanup() {
  [[ -n "$follower_pid" ]] && kill "$follower_pid" 2>/dev/null
  [[ -n "$stamper_pid" ]] && kill "$stamper_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf -- "$tmp"
}
trap cleanup EXIT

# A database of its own for each case: "postgresql://…/NAME…" for a PostgreSQL URL.
database_url() {
  local url=$1 name=$2
  "$psql" "$direct" -X -q -c "CREATE DATABASE $name" >/dev/null
  if [[ "$url" == *"/postgres?"* ]]; then
    printf '%s' "${url/\/postgres\?//$name?}"
  else
    printf '%s' "${url%/postgres}/$name"
  fi
}

# Each line read on stdin, with the time it arrived before it.
stamp='while IFS= read -r line; do printf "%s %s\n" "$EPOCHREALTIME" "$line"; done'

# run_case NAME URL tail|consume: the adds and the arrivals into $tmp/NAME.{adds,seen}.
run_case() {
  local name=$1 url=$2 mode=$3 i start end
  "$bin" --db "$url" -q group create follow-bench # the schema, and event 1
  : >"$tmp/$name.seen"
  if [[ "$mode" == tail ]]; then
    mkfifo "$tmp/$name.fifo"
    bash -c "$stamp" <"$tmp/$name.fifo" >>"$tmp/$name.seen" &
    stamper_pid=$!
    "$bin" --db "$url" events tail --follow --since 1 >"$tmp/$name.fifo" &
    follower_pid=$!
  else
    "$bin" --db "$url" -q events consume bench --follow --batch 500 \
      --exec "exec bash -c '$stamp' >>'$tmp/$name.seen'" &
    follower_pid=$!
  fi
  sleep 1
  : >"$tmp/$name.adds"
  : >"$tmp/$name.committed"
  for ((i = 1; i <= adds; i++)); do
    sleep "0.$(printf '%03d' $((100 + RANDOM % 250)))"
    start=$EPOCHREALTIME
    "$bin" --db "$url" -q --events add "$name-$i" | bash -c "$stamp" >>"$tmp/$name.committed"
    echo "$name-$i $start" >>"$tmp/$name.adds"
  done
  sleep 1
  kill "$follower_pid" 2>/dev/null || true
  wait "$follower_pid" 2>/dev/null || true
  follower_pid=""
  if [[ -n "$stamper_pid" ]]; then
    wait "$stamper_pid" 2>/dev/null || true
    stamper_pid=""
  fi
}

# "median p95 max" in ms of arrival at the follower minus arrival at the writer (and minus the
# add's start), and how many arrived.
figures() {
  python3 - "$tmp/$1.adds" "$tmp/$1.committed" "$tmp/$1.seen" <<'PY'
import json, sys
def arrivals(path):
    times = {}
    for line in open(path):
        at, _, body = line.partition(" ")
        event = json.loads(body)
        subject = event.get("subject", "")
        if event.get("type") == "user.created" and subject.startswith("users/"):
            times.setdefault(subject[6:], float(at))
    return times
starts = {name: float(start) for name, start in (line.split() for line in open(sys.argv[1]))}
committed, seen = arrivals(sys.argv[2]), arrivals(sys.argv[3])
def stats(values):
    values = sorted(values)
    if not values:
        return "- - -"
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return "%.1f %.1f %.1f" % (pick(0.5), pick(0.95), values[-1])
names = [n for n in starts if n in seen and n in committed]
print(stats([(seen[n] - committed[n]) * 1000 for n in names]),
      stats([(seen[n] - starts[n]) * 1000 for n in names]), len(names), len(starts))
PY
}

cases=()
add_case() { cases+=("$1|$2|$3|$4"); }
add_case pg_notify_tail "$(database_url "$direct" follow_tail)" tail "PostgreSQL, LISTEN/NOTIFY"
add_case pg_notify_consume "$(database_url "$direct" follow_consume)" consume "PostgreSQL, LISTEN/NOTIFY"
if [[ -n "$bouncer" ]]; then
  add_case pgbouncer_tail "$(database_url "$bouncer" bouncer_tail)" tail "PgBouncer (transaction), polling"
  add_case pgbouncer_consume "$(database_url "$bouncer" bouncer_consume)" consume "PgBouncer (transaction), polling"
else
  say "pgbouncer is not installed: no PgBouncer case"
fi
add_case sqlite_tail "$tmp/tail.db" tail "SQLite, polling"
add_case sqlite_consume "$tmp/consume.db" consume "SQLite, polling"

status=0
rows=()
for c in "${cases[@]}"; do
  IFS='|' read -r name url mode label <<<"$c"
  say "$name: $adds adds, $mode --follow"
  run_case "$name" "$url" "$mode"
  read -r p50 p95 max s50 s95 smax got want < <(figures "$name")
  rows+=("$(printf '| %-8s --follow | %-34s | %8s | %8s | %8s | %8s | %5s |' "$mode" "$label" "$p50" "$p95" "$max" "$smax" "$got/$want")")
  if [[ "$name" == pg_notify_* ]] && ! python3 -c "import sys; sys.exit(0 if float('$max') <= 50 else 1)"; then
    say "FAIL: $name: a change took $max ms to reach the follower (issue 19: within 50 ms)"
    status=1
  fi
  ((got == want)) || { say "FAIL: $name: $got of $want adds reached the follower"; status=1; }
done
echo "| follower | how it learns of a change | median ms | P95 ms | max ms | max from start ms | seen |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "(ms from the add's COMMIT to the event reaching the follower; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
exit "$status"
