# shellcheck shell=bash
# What the bulk benches share (sourced by bench_bulk.sh and bench_dump.sh, which set $work first).

# timed OUT CMD...: run CMD under /usr/bin/time, append "seconds peak_kib user_s sys_s" to OUT and
# return CMD's status. -o keeps the figures out of the command's own stderr; time puts a "Command
# exited with non-zero status" line before them when CMD fails, hence the tail.
timed() {
  local out=$1 rc=0
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" || rc=$?
  tail -n 1 "$work/time.txt" >>"$out"
  return "$rc"
}
median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
median_s() { cut -d' ' -f1 "$1" | median; }
# CPU seconds (user + sys): on a loaded machine wall-clock ratios drift with the load, CPU ones less.
median_cpu() { awk '{ printf "%.2f\n", $3 + $4 }' "$1" | median; }
peak_mib() { cut -d' ' -f2 "$1" | sort -n | tail -n 1 | awk '{ printf "%d", $1 / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
count() { sqlite3 "$1" "$2"; }
