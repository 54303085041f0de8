#!/usr/bin/env bash
# scripts/bench million: search and listing at a million users (issue 5), against the sqlite3
# CLI running the equivalent query on the same file.
#
# Env: BENCH_MILLION_USERS (1000000); BENCH_RUNS (30) timed runs per search case; BENCH_TMPDIR;
# BENCH_KEEP=1 keeps the database; USERSCTL_BIN (else build-bench/usersctl is built).
# The data: user<i>, names from 7 first names x 200 surnames (one of them "Synthetic", so a
# four-letter fragment such as "ynth" hits 0.5% of users, about 5,000, as in BASELINES.md),
# an email each, and one attribute `location` with 2,000 distinct values.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_MILLION_USERS:-1000000}
runs=${BENCH_RUNS:-30}
say() { echo "scripts/bench million: $*" >&2; }

if [[ -n "${USERSCTL_BIN-}" ]]; then
  bin=$USERSCTL_BIN
else
  (cd "$repo" && cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSERSCTL_TESTS=OFF >/dev/null &&
    cmake --build build-bench --target usersctl >/dev/null)
  bin=$repo/build-bench/usersctl
fi

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-million.XXXXXX")
[[ "${BENCH_KEEP:-0}" == 1 ]] || trap 'rm -rf -- "$work"' EXIT
db=$work/million.db

say "creating $n users in $db (one sqlite3 transaction; the search index fills through triggers)"
"$bin" --db "$db" health >/dev/null
start=$(date +%s.%N)
sqlite3 "$db" <<SQL
PRAGMA cache_size = -262144;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO users (id, username, uid, name, email, email_key, disabled, created_at, updated_at, created_by, updated_by)
SELECT i, 'user' || i, 100000 + i,
  (CASE i % 7 WHEN 0 THEN 'Anna' WHEN 1 THEN 'Bernd' WHEN 2 THEN 'Chloé' WHEN 3 THEN 'Dmitri' WHEN 4 THEN 'Émile'
   WHEN 5 THEN 'Fatima' ELSE 'Gustav' END) || ' ' ||
  (CASE (i / 7) % 200 WHEN 0 THEN 'Müller' WHEN 1 THEN 'Synthetic' WHEN 2 THEN 'Okafor' WHEN 3 THEN 'Nakamura'
   ELSE 'Family' || ((i / 7) % 200) END),
  'user' || i || '@example' || (i % 50) || '.org', 'user' || i || '@example' || (i % 50) || '.org',
  i % 13 = 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'bench', 'bench'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO user_attrs (user_id, key, value) SELECT i, 'location', 'site' || (i % 2000) FROM n;
COMMIT;
INSERT INTO user_search (user_search) VALUES ('optimize');
PRAGMA wal_checkpoint(TRUNCATE);
SQL
say "filled in $(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }') s; $(du -h "$db" | cut -f1)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

median_ms() {  # hyperfine JSON export → median in ms
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$@"
}

fts="SELECT u.username, u.uid, u.name, u.email FROM user_search s JOIN users u ON u.id = s.rowid
     WHERE user_search MATCH '\"ynth\"' LIMIT 50"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/search.json" \
  "$bin --db $db search ynth -o jsonl" "sqlite3 $db \"$fts\"" >&2
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/where.json" \
  "$bin --db $db list --where attrs.location=site77 --limit 50 -o jsonl" \
  "sqlite3 $db \"SELECT u.* FROM user_attrs a JOIN users u ON u.id = a.user_id WHERE a.key = 'location' AND a.value = 'site77' ORDER BY u.username LIMIT 50\"" >&2

list_line=$( { /usr/bin/time -f '%e %M' "$bin" --db "$db" -q list -o jsonl >/dev/null; } 2>&1 | tail -n 1)
json_line=$( { /usr/bin/time -f '%e %M' sqlite3 -json "$db" 'SELECT * FROM users ORDER BY username' >/dev/null; } 2>&1 | tail -n 1)
read -r list_s list_kb <<<"$list_line"
read -r json_s _ <<<"$json_line"

printf '%-46s %12s %12s %7s\n' "case (at $n users)" "usersctl" "sqlite3" "ratio"
s_us=$(median_ms "$work/search.json" 0); s_sq=$(median_ms "$work/search.json" 1)
w_us=$(median_ms "$work/where.json" 0); w_sq=$(median_ms "$work/where.json" 1)
printf '%-46s %9s ms %9s ms %7s\n' "search ynth (median)" "$s_us" "$s_sq" "$(ratio "$s_us" "$s_sq")"
printf '%-46s %9s ms %9s ms %7s\n' "list --where attrs.location=X --limit 50" "$w_us" "$w_sq" "$(ratio "$w_us" "$w_sq")"
printf '%-46s %10s s %10s s %7s   peak RSS %d MiB\n' "list -o jsonl > /dev/null (all)" "$list_s" "$json_s" \
  "$(ratio "$list_s" "$json_s")" "$((list_kb / 1024))"
