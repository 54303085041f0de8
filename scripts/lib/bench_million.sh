#!/usr/bin/env bash
# scripts/bench million: the rows of issue 16's table at a million users, each usersctl against the
# cheapest way to get the same data out of or into the same engine, side by side in one run, with
# the ratio and peak RSS (figures are noisy on a shared machine; the ratio in one run is what counts).
#
#  import   `usersctl import` of N users as JSONL (uids given, one attribute) into an empty database,
#           against sqlite3 `.import` of the same rows as CSV into a table with the same unique
#           columns, then an FTS5 trigram index over username, name, email built with one `rebuild`,
#           all in one transaction with synchronous=FULL;
#  list     `list -o jsonl` of every user against `sqlite3 -json "SELECT … FROM users ORDER BY username"`;
#  where    `list --where attrs.location=X --limit 50` (a third of the users match): absolute, with the
#           equivalent sqlite3 query on the same file beside it (through the same index, so in
#           username order without a sort); also a value no user has;
#  add      one `usersctl add` process with N users there, against `sqlite3 DB "INSERT …"` (WAL,
#           synchronous=FULL) on a copy of the same file;
#  search   `search ynth` (a seventh of the users are "Synthetic") against the FTS5 query.
#
# Env: BENCH_MILLION_USERS (1000000); BENCH_RUNS (30) timed runs per side of the short cases;
# BENCH_TMPDIR (TMPDIR or /tmp); BENCH_KEEP=1 keeps the files; USERSCTL_BIN (else build-bench/usersctl).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_MILLION_USERS:-1000000}
runs=${BENCH_RUNS:-30}
say() { echo "scripts/bench million: $*" >&2; }
for v in n runs; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { say "$v must be a whole number above 0, not '${!v}'"; exit 2; }
done

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")
for tool in sqlite3 hyperfine python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { say "$tool is not installed (scripts/bootstrap installs it)"; exit 1; }
done

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-million.XXXXXX")
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then trap 'say "kept $work"' EXIT; else trap 'rm -rf -- "$work"' EXIT; fi
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# timed OUT CMD...: CMD under /usr/bin/time; OUT gets "seconds peak_kib".
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@"
  tail -n 1 "$work/time.txt" >"$out"
}
# peak_mib CMD...: one untimed run of CMD (output dropped); prints its peak RSS in MiB.
peak_mib() {
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$@" >/dev/null 2>&1
  echo "$(($(tail -n 1 "$work/rss.txt") / 1024)) MiB"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
median_ms() {  # hyperfine JSON export, result index → median in ms
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$@"
}
rows=()
row() { rows+=("$(printf '%-44s %11s %11s %7s %9s' "$@")"); }

# --- the data -------------------------------------------------------------------------------------
# user<i> (zero-padded, so username order is file order), uid 100000+i, names from 7 first names,
# every 7th a "Synthetic" (the common surname), an email each, attribute location north/south/east.
say "writing $n users as JSONL and CSV in $work"
LC_ALL=C awk -v n="$n" -v jsonl="$work/users.jsonl" -v csv="$work/rows.csv" 'BEGIN {
  split("Anna Bernd Chloé Dmitri Émile Fatima Gustav", first, " ")
  split("north south east", where, " ")
  for (i = 1; i <= n; i++) {
    name = first[i % 7 + 1] " " (i % 7 == 0 ? "Synthetic" : "Family" (i % 997))
    email = "user" i "@example" (i % 50) ".org"
    printf "{\"username\":\"user%07d\",\"uid\":%d,\"name\":\"%s\",\"email\":\"%s\",\"attrs\":{\"location\":\"%s\"}}\n",
      i, 100000 + i, name, email, where[i % 3 + 1] > jsonl
    printf "user%07d,%d,%s,%s,%s,%s\n", i, 100000 + i, name, email, email, where[i % 3 + 1] > csv
  }
}'

floor_sql="PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, uid INTEGER NOT NULL UNIQUE,
  name TEXT NOT NULL, email TEXT, email_key TEXT UNIQUE, location TEXT);
CREATE TEMP VIEW v AS SELECT username, uid, name, email, email_key, location FROM users;
CREATE TEMP TRIGGER v_insert INSTEAD OF INSERT ON v BEGIN
  INSERT INTO users (username, uid, name, email, email_key, location)
  VALUES (new.username, new.uid, new.name, new.email, new.email_key, new.location);
END;
.mode csv
BEGIN;
.import '$work/rows.csv' v
CREATE VIRTUAL TABLE s USING fts5(username, name, email, content = 'users', content_rowid = 'id',
  tokenize = 'trigram');
INSERT INTO s (s) VALUES ('rebuild');
COMMIT;"

# --- import ---------------------------------------------------------------------------------------
# The schema from usersctl itself (the seed's two events stay, sequences 1 and 2; the seed waits in
# the recycle bin, so only live users are counted).
"$bin" --db "$work/u.db" add seed -q >/dev/null
"$bin" --db "$work/u.db" delete seed --yes -q >/dev/null
sqlite3 "$work/u.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
sync
say "import: usersctl"
timed "$work/import-u.txt" "$bin" --db "$work/u.db" --actor bench -q import "$work/users.jsonl"
sync
say "import: sqlite3 .import + FTS5 rebuild"
timed "$work/import-s.txt" sqlite3 "$work/floor.db" <<<"$floor_sql" >/dev/null
have=$(sqlite3 "$work/u.db" "SELECT count(*) FROM users WHERE deleted_at IS NULL; SELECT count(*) FROM events WHERE type = 'user.created' AND sequence > 2")
[[ "$have" == "$n"$'\n'"$n" ]] || { say "usersctl's import holds $have users/events, not $n"; exit 1; }
read -r iu_s iu_kb <"$work/import-u.txt"
read -r is_s is_kb <"$work/import-s.txt"
row "import JSONL, uids given" "$iu_s s" "$is_s s" "$(ratio "$iu_s" "$is_s")" "$((iu_kb / 1024)) MiB"
sqlite3 "$work/u.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# --- list -o jsonl --------------------------------------------------------------------------------
cols="username, uid, gid, name, email, home, shell, disabled, created_at, updated_at, created_by, updated_by, version, attrs_text"
"$bin" --db "$work/u.db" list -o jsonl >/dev/null  # warm the page cache for both
timed "$work/list-u.txt" "$bin" --db "$work/u.db" -q list -o jsonl >/dev/null
timed "$work/list-s.txt" sqlite3 -json "$work/u.db" "SELECT $cols FROM users ORDER BY username" >/dev/null
read -r lu_s lu_kb <"$work/list-u.txt"
read -r ls_s _ <"$work/list-s.txt"
row "list -o jsonl, every user" "$lu_s s" "$ls_s s" "$(ratio "$lu_s" "$ls_s")" "$((lu_kb / 1024)) MiB"

# --- list --where … --limit 50, and search --------------------------------------------------------
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/where.json" \
  "$bin --db $work/u.db list --where attrs.location=south --limit 50 -o jsonl" \
  "sqlite3 $work/u.db \"SELECT u.* FROM user_attrs a CROSS JOIN users u ON u.id = a.user_id WHERE a.key = 'location' AND a.value = 'south' ORDER BY a.username LIMIT 50\"" \
  "$bin --db $work/u.db list --where attrs.location=west --limit 50 -o jsonl" >&2
w_u=$(median_ms "$work/where.json" 0)
w_s=$(median_ms "$work/where.json" 1)
w_none=$(median_ms "$work/where.json" 2)
row "list --where attrs.location=X --limit 50" "$w_u ms" "$w_s ms" "$(ratio "$w_u" "$w_s")" \
  "$(peak_mib "$bin" --db "$work/u.db" list --where attrs.location=south --limit 50 -o jsonl)"
row "  the same, no user matches" "$w_none ms" "-" "-" "-"
fts="SELECT u.username, u.uid, u.name, u.email FROM user_search s JOIN users u ON u.id = s.rowid
     WHERE user_search MATCH '\"ynth\"' LIMIT 50"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/search.json" \
  "$bin --db $work/u.db search ynth -o jsonl" "sqlite3 $work/u.db \"$fts\"" >&2
s_u=$(median_ms "$work/search.json" 0)
s_s=$(median_ms "$work/search.json" 1)
row "search ynth" "$s_u ms" "$s_s ms" "$(ratio "$s_u" "$s_s")" "$(peak_mib "$bin" --db "$work/u.db" search ynth -o jsonl)"

# --- add ------------------------------------------------------------------------------------------
# Each side on its own copy; the untimed --prepare deletes the row the timed run adds (see scripts/bench).
cp "$work/u.db" "$work/add-s.db"
insert_sql="PRAGMA synchronous=FULL; INSERT INTO users (username, uid, name, email, email_key, password_hash, disabled, created_at, updated_at, created_by, updated_by, version) VALUES ('bench', (SELECT COALESCE(max(uid) + 1, 1000) FROM users WHERE uid >= 1000 AND uid < 60000), '', 'bench@example.com', 'bench@example.com', NULL, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench', 'bench', 1)"
delete_sql="DELETE FROM users WHERE username = 'bench'"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/add.json" \
  --prepare "sqlite3 $work/u.db \"$delete_sql\"" "$bin --db $work/u.db add bench --email bench@example.com -q" \
  --prepare "sqlite3 $work/add-s.db \"$delete_sql\"" "sqlite3 $work/add-s.db \"$insert_sql\"" >&2
a_u=$(median_ms "$work/add.json" 0)
a_s=$(median_ms "$work/add.json" 1)
sqlite3 "$work/u.db" "$delete_sql"
row "add, one process, $n users there" "$a_u ms" "$a_s ms" "$(ratio "$a_u" "$a_s")" \
  "$(peak_mib "$bin" --db "$work/u.db" add bench --email bench@example.com -q)"

printf '%-44s %11s %11s %7s %9s\n' "case (at $n users)" "usersctl" "floor" "ratio" "peak RSS"
printf '%s\n' "${rows[@]}"
