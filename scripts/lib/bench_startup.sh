# shellcheck shell=bash disable=SC2154  # sourced: $bin, $tmp and the statements come from scripts/bench
# scripts/bench startup (sourced by scripts/bench, which has built or found $bin and defined
# make_db, bench_sides, q, $insert_sql and $delete_sql): what one invocation costs before it does
# any work, against the sqlite3 CLI doing the equivalent, and against an older usersctl
# (USERSCTL_OLD_BIN) to show a change did not make start-up dearer (issue 13).
#
#   version: `usersctl --version` vs `sqlite3 :memory: 'select 1'` (process start, dynamic
#            linking, static initialisers, argument parsing; no database)
#   add:     `usersctl add bench` on an empty database vs sqlite3 running the same INSERT, as the
#            default `scripts/bench` does (each side its own file; the untimed prepare deletes the row)
#
#   USERSCTL_OLD_BIN=/tmp/old/build/usersctl scripts/bench startup
#
# BENCH_RUNS, BENCH_ROUNDS, BENCH_WARMUP as for scripts/bench. Prints a table of medians and ratios.

old_bin=${USERSCTL_OLD_BIN-}
if [[ -n "$old_bin" && ! -x "$old_bin" ]]; then
  say "USERSCTL_OLD_BIN=$old_bin is not an executable"
  exit 1
fi

say "building empty databases in $tmp"
make_db "$tmp/empty-usersctl.db" 0
cp "$tmp/empty-usersctl.db" "$tmp/empty-sqlite3.db"
# The older binary gets a database of its own schema (its migrations), made by it.
[[ -z "$old_bin" ]] || make_db "$tmp/empty-old.db" 0 "$old_bin"

add_cmd() { printf '%s --db %s add bench --email bench@example.com -q' "$(q "$1")" "$(q "$2")"; }
delete_in() { printf 'sqlite3 %s "%s"' "$(q "$1")" "$delete_sql"; }

# Sanity: each side's add works once (and leaves no row behind).
"$bin" --db "$tmp/empty-usersctl.db" add bench --email bench@example.com -q >/dev/null
sqlite3 "$tmp/empty-usersctl.db" "$delete_sql"
sqlite3 "$tmp/empty-sqlite3.db" "$insert_sql"
sqlite3 "$tmp/empty-sqlite3.db" "$delete_sql"

version_sides=(usersctl "$(q "$bin") --version" true sqlite3 "sqlite3 :memory: 'select 1'" true)
add_sides=(usersctl "$(add_cmd "$bin" "$tmp/empty-usersctl.db")" "$(delete_in "$tmp/empty-usersctl.db")"
  sqlite3 "sqlite3 $(q "$tmp/empty-sqlite3.db") \"$insert_sql\"" "$(delete_in "$tmp/empty-sqlite3.db")")
if [[ -n "$old_bin" ]]; then
  "$old_bin" --db "$tmp/empty-old.db" add bench --email bench@example.com -q >/dev/null
  sqlite3 "$tmp/empty-old.db" "$delete_sql"
  version_sides+=(usersctl-old "$(q "$old_bin") --version" true)
  add_sides+=(usersctl-old "$(add_cmd "$old_bin" "$tmp/empty-old.db")" "$(delete_in "$tmp/empty-old.db")")
fi

bench_sides version "${version_sides[@]}"
bench_sides add-empty "${add_sides[@]}"

python3 - "$tmp/results" "$runs" "$rounds" <<'PY'
import glob, json, os, statistics, sys

results_dir, runs, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
times, cpu = {}, {}
for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
    case = os.path.basename(path).split(".")[0]
    for result in json.load(open(path))["results"]:
        times.setdefault(case, {}).setdefault(result["command"], []).extend(result["times"])
        cpu.setdefault(case, {}).setdefault(result["command"], []).append(result["user"] + result["system"])

print(f"start-up: median wall time per invocation, {runs} runs per side in {rounds} rotating rounds")
have_old = any("usersctl-old" in sides for sides in times.values())
header = f"{'case':<16} {'usersctl ms':>12} {'sqlite3 ms':>11} {'vs sqlite3':>11}"
if have_old:
    header += f" {'old ms':>9} {'old vs sqlite3':>15} {'new vs old':>11}"
print(header)
for case, label in (("version", "--version"), ("add-empty", "add, 0 users")):
    sides = {name: statistics.median(t) * 1000 for name, t in times.get(case, {}).items()}
    if "usersctl" not in sides or "sqlite3" not in sides:
        continue
    new, lite = sides["usersctl"], sides["sqlite3"]
    row = f"{label:<16} {new:>12.2f} {lite:>11.2f} {new / lite:>11.2f}"
    if "usersctl-old" in sides:
        old = sides["usersctl-old"]
        row += f" {old:>9.2f} {old / lite:>15.2f} {new / old:>11.2f}"
    print(row)

# On a loaded machine the wall times wander with the scheduler; the CPU time a run takes (user +
# system, hyperfine's mean per round, averaged) moves much less, so it is shown too.
print("CPU ms (user + system, mean): " + ", ".join(
    f"{label}: " + " / ".join(f"{name} {statistics.mean(v) * 1000:.2f}" for name, v in sorted(cpu.get(case, {}).items()))
    for case, label in (("version", "--version"), ("add-empty", "add"))))
PY
