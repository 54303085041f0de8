#!/usr/bin/env bash
# scripts/bench dump: the lossless dump (issue 18) against the JSON Lines export and import of the
# same users in the same run; the aim is "within 1.5x" both ways, with peak RSS.
#
#  import   `import --format dump` of a dump into an empty database, against `import --group-file`
#           of the JSONL of the same users (same groups, memberships and attributes) into an empty
#           database; the dump also carries every password hash, the history stamps and the
#           settings, which JSONL does not;
#  export   `export --format dump` against `export` (JSONL) of the same database.
#
# The users: user<i>, uid 100000+i, names from bench bulk's list (Unicode among them), an email, one
# attribute, one of 10 groups each; every user gets a yescrypt-shaped password hash with a salt of
# its own, set with sqlite3 (hashing a million passwords would take hours and is not measured). The dump is
# taken from that database once, untimed, before the timed rounds. After the rounds the dump
# imported back must give the same dump byte for byte, and both imports one user.created event
# per user.
#
# Env: BENCH_DUMP_USERS (1000000); BENCH_DUMP_ROUNDS (1) import rounds per side, alternating which
# side goes first (the table shows medians); BENCH_EXPORT_RUNS (3) export runs per side, alternating;
# BENCH_TMPDIR (TMPDIR or /tmp): keep it on the disk you care about, not tmpfs; BENCH_KEEP=1 keeps
# the temp dir; USERSCTL_BIN (else build-bench/usersctl is built).
# A table on stdout; progress on stderr. Exits 1 when a check fails or the aim is missed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_DUMP_USERS:-1000000}
rounds=${BENCH_DUMP_ROUNDS:-1}
export_runs=${BENCH_EXPORT_RUNS:-3}
aim=1.5
say() { echo "scripts/bench dump: $*" >&2; }
for v in n rounds export_runs; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { say "$v must be a whole number above 0, not '${!v}'"; exit 2; }
done

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")
for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { say "$tool is not installed (scripts/bootstrap installs it)"; exit 1; }
done

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-dump.XXXXXX")
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then trap 'say "kept $work"' EXIT; else trap 'rm -rf -- "$work"' EXIT; fi
trap 'exit 130' INT
trap 'exit 143' TERM HUP

failed=0
fail() { say "FAILED: $*"; failed=1; }
# shellcheck source=scripts/lib/bench_common.sh
source "$repo/scripts/lib/bench_common.sh"  # timed, median_s, median_cpu, peak_mib, ratio, count
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v != "-" && v <= l) ? "ok" : "OVER" }'; }

# --- the users ------------------------------------------------------------------------------------
say "writing $n users as JSONL in $work"
LC_ALL=C awk -v n="$n" -v jsonl="$work/users.jsonl" -v groups="$work/groups.txt" 'BEGIN {
  split("Anna Bernd Chloé Dmitri Émile Fatima Gustav", first, " ")
  split("Müller Synthetic Okafor Nakamura", special, " ")
  for (g = 0; g < 10; g++) print "team" g ":x:" 5000 + g ":" > groups
  for (i = 1; i <= n; i++) {
    s = int(i / 7) % 200
    name = first[i % 7 + 1] " " (s < 4 ? special[s + 1] : "Family" s)
    printf "{\"username\":\"user%d\",\"uid\":%d,\"name\":\"%s\",\"email\":\"user%d@example%d.org\"," \
      "\"groups\":[\"team%d\"],\"attrs\":{\"location\":\"room=%d, floor %d\"},\"disabled\":%s}\n",
      i, 100000 + i, name, i, i % 50, i % 10, i % 300, i % 9, (i % 17 == 0) ? "true" : "false" > jsonl
  }
}'

import_jsonl() {
  timed "$work/import-jsonl.txt" "$bin" --db "$1" --actor bench -q import --group-file "$work/groups.txt" \
    "$work/users.jsonl"
}
import_dump() { timed "$work/import-dump.txt" "$bin" --db "$1" --actor bench -q import --format dump "$work/users.dump"; }

# The source database: the JSONL imported, a hash for every user, then its dump (untimed).
say "making the source database and its dump"
src=$work/source.db
"$bin" --db "$src" --actor bench -q import --group-file "$work/groups.txt" "$work/users.jsonl"
# One real yescrypt hash (usersctl passwd), then each user its own salt of the same length: the
# hashes a directory holds all differ, so nothing can be saved by checking one string once.
printf 'bench\n' | "$bin" --db "$src" -q passwd user1 --password-stdin
sqlite3 "$src" "UPDATE users SET password_hash = (SELECT substr(h, 1, 7) || printf('%022d', users.id) ||
  substr(h, 30) FROM (SELECT password_hash AS h FROM users WHERE username = 'user1'));
  PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
"$bin" --db "$src" export --format dump >"$work/users.dump"
say "dump: $(du -h "$work/users.dump" | cut -f1), JSONL: $(du -h "$work/users.jsonl" | cut -f1)"

# --- import ---------------------------------------------------------------------------------------
for ((round = 1; round <= rounds; round++)); do
  # Each import makes its database (schema and all) as a first import does.
  rm -f "$work"/import-*.db*
  sync
  say "import round $round of $rounds: $n users"
  if ((round % 2 == 1)); then
    import_dump "$work/import-dump.db"
    import_jsonl "$work/import-jsonl.db"
  else
    import_jsonl "$work/import-jsonl.db"
    import_dump "$work/import-dump.db"
  fi
done
for db in "$work/import-jsonl.db" "$work/import-dump.db"; do
  have=$(count "$db" 'SELECT count(*) FROM users')
  [[ "$have" == "$n" ]] || fail "$(basename "$db") holds $have users, not $n"
  have=$(count "$db" 'SELECT count(*) FROM memberships')
  [[ "$have" == "$n" ]] || fail "$(basename "$db") holds $have memberships, not $n"
  have=$(count "$db" "SELECT count(*) FROM events WHERE type = 'user.created'")
  [[ "$have" == "$n" ]] || fail "$(basename "$db") holds $have user.created events, not $n"
done
have=$(count "$work/import-dump.db" 'SELECT count(*) FROM users WHERE password_hash IS NOT NULL')
[[ "$have" == "$n" ]] || fail "the dump's import holds $have password hashes, not $n"
"$bin" --db "$work/import-dump.db" export --format dump >"$work/again.dump"
cmp -s "$work/users.dump" "$work/again.dump" || fail "the dump of the imported dump differs from the dump"

# --- export ---------------------------------------------------------------------------------------
say "export: $export_runs runs per side"
for ((run = 1; run <= export_runs; run++)); do
  if ((run % 2 == 1)); then
    timed "$work/export-dump.txt" "$bin" --db "$src" export --format dump >/dev/null
    timed "$work/export-jsonl.txt" "$bin" --db "$src" -q export >/dev/null
  else
    timed "$work/export-jsonl.txt" "$bin" --db "$src" -q export >/dev/null
    timed "$work/export-dump.txt" "$bin" --db "$src" export --format dump >/dev/null
  fi
done

# --- the table ------------------------------------------------------------------------------------
# row LABEL DUMP_TIMES JSONL_TIMES: wall-clock medians, their ratio against the aim, CPU medians
# and their ratio, peak RSS of each side. The verdict is on wall-clock time, the aim's measure.
missed=0
row() {
  local d j r v cd cj
  d=$(median_s "$2"); j=$(median_s "$3"); r=$(ratio "$d" "$j"); v=$(verdict "$r" "$aim")
  cd=$(median_cpu "$2"); cj=$(median_cpu "$3")
  [[ "$v" == ok ]] || missed=1
  printf '%-22s %8s s %8s s %6s %-8s %8s s %8s s %6s %7d MiB %7d MiB\n' "$1" "$d" "$j" "$r" "$v" "$cd" "$cj" \
    "$(ratio "$cd" "$cj")" "$(peak_mib "$2")" "$(peak_mib "$3")"
}
printf 'Dump vs JSON Lines of the same %d users, same run (median of %d import round(s), %d export runs)\n' \
  "$n" "$rounds" "$export_runs"
printf '%-22s %10s %10s %6s %-8s %10s %10s %6s %11s %11s\n' "case" "dump" "jsonl" "ratio" "<=$aim" \
  "dump CPU" "jsonl CPU" "ratio" "RSS dump" "RSS jsonl"
row "import $n users" "$work/import-dump.txt" "$work/import-jsonl.txt"
row "export $n users" "$work/export-dump.txt" "$work/export-jsonl.txt"

if ((failed)); then exit 1; fi
if ((missed)); then exit 1; fi
