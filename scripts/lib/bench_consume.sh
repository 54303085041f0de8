#!/usr/bin/env bash
# scripts/bench consume: consume throughput (issue 19): events per second `usersctl events consume`
# hands to `cat > /dev/null` in batches of 500, at BENCH_CONSUME_EVENTS (1,000,000) events, on
# SQLite and on PostgreSQL (a throwaway cluster, scripts/lib/pg.sh). The floor beside it: the same
# feed printed in one go by `events tail > /dev/null` (no batches, no cursor, no CMD).
#
# How: `usersctl import` of N generated users (one user.created event each) into each database,
# then one timed run each (/usr/bin/time: wall time and peak RSS) of the drain and of the floor.
# Afterwards the consumer's cursor must be at the last event and its lag 0.
#
# Env: BENCH_CONSUME_EVENTS (1000000); BENCH_CONSUME_BATCH (500); BENCH_CONSUME_BACKENDS ("sqlite
# postgresql"); BENCH_TMPDIR (TMPDIR or /tmp);
# USERSCTL_BIN (else build-bench/usersctl is built); USERSCTL_PG_BINDIR (PostgreSQL 15's by default).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=scripts/lib/pg.sh
source "$repo/scripts/lib/pg.sh"
n=${BENCH_CONSUME_EVENTS:-1000000}
batch=${BENCH_CONSUME_BATCH:-500}
say() { echo "scripts/bench consume: $*" >&2; }

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")

tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-consume.XXXXXX")
trap 'pg_stop; rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
pg_start || { say "the PostgreSQL cluster did not start"; exit 1; }
"$PG_BINDIR/psql" "$USERSCTL_TEST_PG_URL" -X -q -c "CREATE DATABASE bench_consume" >/dev/null
pg_url=${USERSCTL_TEST_PG_URL/\/postgres\?//bench_consume?}

say "generating $n users"
python3 - "$n" "$tmp/users.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(1, n + 1):
        name = f"user{i:07d}"
        out.write(json.dumps({"username": name, "uid": 200000 + i, "name": f"Given{i} Sur{i}",
                              "email": f"{name}@example.com"}) + "\n")
PY

status=0
rows=()
for backend in ${BENCH_CONSUME_BACKENDS:-sqlite postgresql}; do
  if [[ "$backend" == sqlite ]]; then db=$tmp/consume.db; else db=$pg_url; fi
  say "$backend: importing $n users (one event each)"
  "$bin" --db "$db" -q import "$tmp/users.jsonl" --format jsonl
  say "$backend: events consume --batch $batch --exec 'cat > /dev/null'"
  /usr/bin/time -o "$tmp/consume.time" -f '%e %M' \
    "$bin" --db "$db" -q events consume bench --batch "$batch" --exec 'cat > /dev/null'
  say "$backend: events tail > /dev/null (the floor)"
  /usr/bin/time -o "$tmp/tail.time" -f '%e %M' "$bin" --db "$db" events tail >/dev/null
  read -r c_s c_kb <"$tmp/consume.time"
  read -r t_s t_kb <"$tmp/tail.time"
  state=$("$bin" --db "$db" events consumers -o json |
    python3 -c 'import json,sys; c=[r for r in json.load(sys.stdin) if r["name"]=="bench"][0]; print(c["cursor"], c["lag"])')
  read -r cursor lag <<<"$state"
  ((cursor == n && lag == 0)) || { say "FAIL: $backend: cursor $cursor, lag $lag after the drain (want $n, 0)"; status=1; }
  rate() { python3 -c "print(int($n / max(float('$1'), 0.001)))"; }
  rows+=("| $backend | $n | $batch | $c_s s | $(rate "$c_s") | $((c_kb / 1024)) MiB | $t_s s | $(rate "$t_s") |")
done
echo "| backend | events | batch | consume wall | consume events/s | consume peak RSS | tail wall (floor) | tail events/s |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
exit "$status"
