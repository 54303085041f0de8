#!/usr/bin/env bash
# scripts/bench pg: per-invocation cost of usersctl on PostgreSQL against psql doing the same work
# on the same schema in the same private cluster (issue 6: "within 1.5x of psql -c INSERT").
#
# Env: BENCH_PG_USERS (100000) users in the large database; BENCH_RUNS (100) timed runs per side and
# case; BENCH_ROUNDS (4) alternating rounds; BENCH_WARMUP (3); USERSCTL_BIN (else build-bench/usersctl
# is built); USERSCTL_PG_BINDIR (PostgreSQL 15's bin by default; psql is the real binary there, not
# Debian's Perl wrapper /usr/bin/psql, which adds ~60 ms a call).
#
# How: scripts/lib/pg.sh starts a throwaway cluster (unix socket, fsync off: both sides alike).
# Two databases, empty and large, get their schema from `usersctl health` (migrations), the large one
# BENCH_PG_USERS rows from one generate_series INSERT. Every timed run adds the user `bench`; hyperfine's
# untimed --prepare deletes it (with psql) before each run, so each run starts like a real one: a new
# process, a new connection. The psql side runs one INSERT computing id and uid as usersctl does
# (highest plus one); usersctl also writes the event row in the same transaction, as it always does.
# If `usersctl import` exists, a 100,000-user import is timed against psql \copy of the same rows.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=scripts/lib/pg.sh
source "$repo/scripts/lib/pg.sh"
users=${BENCH_PG_USERS:-100000}
runs=${BENCH_RUNS:-100}
rounds=${BENCH_ROUNDS:-4}
warmup=${BENCH_WARMUP:-3}
per_round=$(((runs + rounds - 1) / rounds))
((per_round >= 2)) || per_round=2
say() { echo "scripts/bench pg: $*" >&2; }

if [[ -n "${USERSCTL_BIN-}" ]]; then
  bin=$USERSCTL_BIN
else
  (cd "$repo" && scripts/bootstrap -q &&
    if [[ ! -f build-bench/build.ninja ]]; then
      cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSERSCTL_TESTS=OFF >&2
    fi && cmake --build build-bench --target usersctl >&2)
  bin=$repo/build-bench/usersctl
fi
command -v hyperfine >/dev/null || { say "hyperfine is not installed (scripts/bootstrap installs it)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-bench-pg.XXXXXX")
trap 'pg_stop; rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
pg_start || { say "the PostgreSQL cluster did not start"; exit 1; }
psql=$PG_BINDIR/psql
admin=$USERSCTL_TEST_PG_URL
url_for() { printf '%s' "$admin" | sed "s#/postgres?#/$1?#"; }
sql() { "$psql" "$1" -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"; }

for size in empty large; do
  sql "$admin" "CREATE DATABASE bench_$size" >/dev/null
  "$bin" --db "$(url_for "bench_$size")" health >/dev/null
done
large=$(url_for bench_large)
say "filling bench_large with $users users"
sql "$large" "INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at,
  updated_at, created_by, updated_by, version, attrs, name_key, attrs_key)
  SELECT n, 'user' || lpad(n::text, 7, '0'), CASE WHEN n < 50000 THEN 1000 + n ELSE 100000 + n END,
    'Bench User ' || n, 'User' || n || '@Example.com', 'user' || n || '@example.com', NULL, 0,
    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'bench', 'bench', 1, '{}', 'bench user ' || n, ''
  FROM generate_series(1, $users) n" >/dev/null
sql "$large" "VACUUM ANALYZE users" >/dev/null

# The same row usersctl writes for `add bench --email bench@example.com`.
insert_sql="INSERT INTO users (id, username, uid, name, email, email_key, password_hash, disabled, created_at, updated_at, created_by, updated_by, version, attrs, name_key, attrs_key) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM users), 'bench', (SELECT coalesce(max(uid) + 1, 1000) FROM users WHERE uid >= 1000 AND uid < 60000), '', 'bench@example.com', 'bench@example.com', NULL, 0, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'bench', 'bench', 1, '{}', '', '')"
delete_sql="DELETE FROM users WHERE username = 'bench'"
show_sql="SELECT username, uid, name, email, disabled, created_at, updated_at, created_by, updated_by, version, attrs FROM users WHERE username = 'user0000001'"

# Sanity: both commands work once and leave nothing behind.
"$bin" --db "$large" add bench --email bench@example.com -q
sql "$large" "$delete_sql" >/dev/null
sql "$large" "$insert_sql" >/dev/null
sql "$large" "$delete_sql" >/dev/null

mkdir "$tmp/results"
q() { printf "'%s'" "$1"; }  # one word for hyperfine's shell-words splitting
# bench_case CASE USERSCTL_CMD PSQL_CMD PREPARE
bench_case() {
  local name=$1 u_cmd=$2 p_cmd=$3 prep=$4 round
  for ((round = 1; round <= rounds; round++)); do
    say "$name: round $round of $rounds ($per_round runs per side)"
    local -a args=(-N --runs "$per_round" --warmup "$warmup" --style basic --prepare "$prep" --prepare "$prep"
      --export-json "$tmp/results/$name.$round.json")
    if ((round % 2 == 1)); then
      args+=(-n usersctl "$u_cmd" -n psql "$p_cmd")
    else
      args+=(-n psql "$p_cmd" -n usersctl "$u_cmd")
    fi
    hyperfine "${args[@]}" >&2
  done
}

for size in empty large; do
  db=$(q "$(url_for "bench_$size")")
  bench_case "add-$size" "$(q "$bin") --db $db add bench --email bench@example.com -q" \
    "$(q "$psql") $db -X -q -c \"$insert_sql\"" "$(q "$psql") $db -X -q -c \"$delete_sql\""
done
bench_case "show-large" "$(q "$bin") --db $(q "$large") show user0000001" \
  "$(q "$psql") $(q "$large") -X -q -A -t -c \"$show_sql\"" "true"

# Bulk: usersctl import against psql \copy of the same 100,000 rows, when import exists.
if "$bin" import --help >/dev/null 2>&1; then
  n=100000
  say "import: $n users, usersctl import vs psql \\copy"
  python3 - "$n" "$tmp/users.jsonl" "$tmp/users.csv" <<'PY'
import json, sys
n, jsonl, csv = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(jsonl, "w") as j, open(csv, "w") as c:
    for i in range(1, n + 1):
        name = f"imp{i:07d}"
        j.write(json.dumps({"username": name, "uid": 200000 + i, "name": f"Imported {i}",
                            "email": f"{name}@example.com"}) + "\n")
        c.write(f"{i},{name},{200000 + i},Imported {i},{name}@example.com,{name}@example.com,0,"
                f"2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,bench,bench,1,{{}},imported {i},\"\"\n")
PY
  for side in usersctl psql; do sql "$admin" "CREATE DATABASE import_$side" >/dev/null; done
  for side in usersctl psql; do "$bin" --db "$(url_for "import_$side")" health >/dev/null; done
  copy="\\copy users (id, username, uid, name, email, email_key, disabled, created_at, updated_at, created_by, updated_by, version, attrs, name_key, attrs_key) FROM '$tmp/users.csv' WITH (FORMAT csv)"
  truncate_u="$(q "$psql") $(q "$(url_for import_usersctl)") -X -q -c \"TRUNCATE users, events CASCADE\""
  truncate_p="$(q "$psql") $(q "$(url_for import_psql)") -X -q -c \"TRUNCATE users CASCADE\""
  hyperfine -N --runs 3 --style basic --export-json "$tmp/results/import.1.json" \
    --prepare "$truncate_u" -n usersctl "$(q "$bin") --db $(q "$(url_for import_usersctl)") import $(q "$tmp/users.jsonl") --format jsonl -q" \
    --prepare "$truncate_p" -n psql "$(q "$psql") $(q "$(url_for import_psql)") -X -q -c $(q "$copy")" >&2
else
  say "usersctl import does not exist in this build: skipping the import case"
fi

python3 - "$tmp/results" "$users" "$runs" "$rounds" <<'PY'
import glob, json, os, statistics, sys
results_dir, users, runs, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
times = {}
for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
    case = os.path.basename(path).split(".")[0]
    for result in json.load(open(path))["results"]:
        times.setdefault(case, {}).setdefault(result["command"], []).extend(result["times"])
labels = {"add-empty": "add, 0 users", "add-large": f"add, {users:,} users",
          "show-large": f"show, {users:,} users", "import": "import 100,000 users"}
print(f"usersctl vs psql on PostgreSQL: median wall time per invocation, {runs} runs per side in {rounds} alternating rounds")
print(f"{'case':<24} {'usersctl ms':>12} {'psql ms':>12} {'ratio':>7}")
for case in ("add-empty", "add-large", "show-large", "import"):
    sides = times.get(case, {})
    if "usersctl" not in sides or "psql" not in sides:
        continue
    u = statistics.median(sides["usersctl"]) * 1000
    p = statistics.median(sides["psql"]) * 1000
    print(f"{labels[case]:<24} {u:>12.2f} {p:>12.2f} {u / p:>7.2f}")
PY
