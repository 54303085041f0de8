#!/usr/bin/env bash
# scripts/bench pg: usersctl on PostgreSQL against psql doing the same work on the same schema in the
# same private cluster, each case with its ratio and peak RSS (issue 6: add within 1.5x of psql -c
# INSERT; issue 16: import within 2x of \copy of the same rows, add within 1.3x, import <= 128 MiB
# and list <= 64 MiB at a million users).
#
# Env: BENCH_PG_USERS (1000000) users imported and then in the large database; BENCH_RUNS (100) timed runs per side and
# case; BENCH_ROUNDS (4) alternating rounds; BENCH_WARMUP (3); USERSCTL_BIN (else build-bench/usersctl
# is built); USERSCTL_PG_BINDIR (PostgreSQL 15's bin by default; psql is the real binary there, not
# Debian's Perl wrapper /usr/bin/psql, which adds ~60 ms a call).
#
# How: scripts/lib/pg.sh starts a throwaway cluster (unix socket, fsync off: both sides alike).
# The large database is the one `usersctl import` filled with BENCH_PG_USERS generated users (a common
# surname every 7th, an attribute with three values); psql's side of the import gets the very rows
# usersctl wrote (users and events, dumped with \copy … TO) into a second database with the same
# schema and indexes, so both sides maintain the same indexes. `list -o jsonl` is timed against psql
# printing the same rows (unaligned, tuples only). Every timed run adds the user `bench`; hyperfine's
# untimed --prepare deletes it (with psql) before each run, so each run starts like a real one: a new
# process, a new connection. The psql side runs one INSERT computing id and uid as usersctl does
# (highest plus one); usersctl also writes the event row in the same transaction, as it always does.
# Import and list are timed once each side (/usr/bin/time: wall time and peak RSS); add and show by
# hyperfine, with one more run under /usr/bin/time for the RSS.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=scripts/lib/pg.sh
source "$repo/scripts/lib/pg.sh"
users=${BENCH_PG_USERS:-1000000}
runs=${BENCH_RUNS:-100}
rounds=${BENCH_ROUNDS:-4}
warmup=${BENCH_WARMUP:-3}
per_round=$(((runs + rounds - 1) / rounds))
((per_round >= 2)) || per_round=2
say() { echo "scripts/bench pg: $*" >&2; }

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")
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

for db in bench_empty bench_large import_psql; do
  sql "$admin" "CREATE DATABASE $db" >/dev/null
  "$bin" --db "$(url_for "$db")" group create bench-schema -q # creates the schema (migrations)
  sql "$(url_for "$db")" "DELETE FROM events; DELETE FROM usergroups" >/dev/null
done
large=$(url_for bench_large)
copied=$(url_for import_psql)

# Peak RSS and wall time of one run: "SECONDS KIB" in $tmp/rss/NAME.
mkdir "$tmp/rss"
measure() {
  local name=$1
  shift
  /usr/bin/time -o "$tmp/rss/$name" -f '%e %M' "$@" >/dev/null
}

say "import: $users users, usersctl import vs psql \\copy of the same rows"
python3 - "$users" "$tmp/users.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
places = ("north", "south", "east")
with open(path, "w") as out:
    for i in range(1, n + 1):
        name = f"user{i:07d}"
        surname = "Common" if i % 7 == 0 else f"Sur{i}"
        out.write(json.dumps({"username": name, "uid": 200000 + i, "name": f"Given{i} {surname}",
                              "email": f"{name}@example.com", "attrs": {"location": places[i % 3]}}) + "\n")
PY
measure import-usersctl "$bin" --db "$large" import "$tmp/users.jsonl" --format jsonl -q
users_cols="id, username, uid, name, email, email_key, password_hash, disabled, created_at, updated_at, created_by, updated_by, version, attrs, name_key, attrs_key, gid, home, shell"
events_cols="sequence, id, type, time, body, user_id, group_id, subject"
sql "$large" "\\copy (SELECT $users_cols FROM users ORDER BY id) TO '$tmp/users.copy'" >/dev/null
sql "$large" "\\copy (SELECT $events_cols FROM events ORDER BY sequence) TO '$tmp/events.copy'" >/dev/null
measure import-psql "$psql" "$copied" -X -q -v ON_ERROR_STOP=1 \
  -c "BEGIN" -c "\\copy users ($users_cols) FROM '$tmp/users.copy'" \
  -c "\\copy events ($events_cols) FROM '$tmp/events.copy'" -c "COMMIT"
sql "$large" "VACUUM ANALYZE users" >/dev/null

list_sql="SELECT username, uid, name, email, disabled, created_at, updated_at, created_by, updated_by, version, attrs, gid, home, shell FROM users ORDER BY username"
say "list: every user, usersctl list -o jsonl vs psql printing the same rows"
measure list-usersctl "$bin" --db "$large" list -o jsonl
measure list-psql "$psql" "$large" -X -q -A -t -c "$list_sql"

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

for size in empty large; do
  db=$(url_for "bench_$size")
  sql "$db" "$delete_sql" >/dev/null # hyperfine's last run left it
  measure "add-$size-usersctl" "$bin" --db "$db" add bench --email bench@example.com -q
  sql "$db" "$delete_sql" >/dev/null
  measure "add-$size-psql" "$psql" "$db" -X -q -c "$insert_sql"
  sql "$db" "$delete_sql" >/dev/null
done

python3 - "$tmp/results" "$tmp/rss" "$users" "$runs" "$rounds" <<'PY'
import glob, json, os, statistics, sys
results_dir, rss_dir, users, runs, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
times = {}
for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
    case = os.path.basename(path).split(".")[0]
    for result in json.load(open(path))["results"]:
        times.setdefault(case, {}).setdefault(result["command"], []).extend(result["times"])
once = {}
for path in glob.glob(os.path.join(rss_dir, "*")):
    seconds, kib = open(path).read().split()[-2:]
    once[os.path.basename(path)] = (float(seconds) * 1000, int(kib) / 1024)
labels = {"add-empty": "add, 0 users", "add-large": f"add, {users:,} users",
          "show-large": f"show, {users:,} users", "import": f"import {users:,} users",
          "list": f"list -o jsonl, {users:,}"}
print(f"usersctl vs psql on PostgreSQL, {users:,} users. add/show: median of {runs} runs per side in "
      f"{rounds} alternating rounds; import/list: one run each side. RSS: peak, one run.")
print(f"{'case':<26} {'usersctl ms':>12} {'psql ms':>12} {'ratio':>7} {'usersctl MiB':>13} {'psql MiB':>9}")
for case in ("add-empty", "add-large", "show-large", "import", "list"):
    sides = times.get(case, {})
    if "usersctl" in sides and "psql" in sides:
        u = statistics.median(sides["usersctl"]) * 1000
        p = statistics.median(sides["psql"]) * 1000
    elif f"{case}-usersctl" in once and f"{case}-psql" in once:
        u, p = once[f"{case}-usersctl"][0], once[f"{case}-psql"][0]
    else:
        continue
    u_rss = once.get(f"{case}-usersctl", (0, float("nan")))[1]
    p_rss = once.get(f"{case}-psql", (0, float("nan")))[1]
    print(f"{labels[case]:<26} {u:>12.2f} {p:>12.2f} {u / p:>7.2f} {u_rss:>13.1f} {p_rss:>9.1f}")
PY
