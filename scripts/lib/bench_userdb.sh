#!/usr/bin/env bash
# scripts/bench userdb: usersctl as the host's user database (issue 14). At BENCH_USERS users
# (1,000,000), `getent passwd NAME` through nss-systemd and `usersctl userdb serve` against a hit
# in /etc/passwd, 32 parallel clients' throughput and P95, the service's peak RSS, and (once the
# command exists) `usersctl ssh-authorized-keys`.
#
# Needs root: it runs in a private mount namespace (a tmpfs over /run for the socket, a temp
# copy of /etc/passwd with one extra line bind-mounted over it), so the host is never changed.
# Env: BENCH_USERS (1000000); BENCH_RUNS (200) hyperfine runs per case; BENCH_PARALLEL_LOOKUPS
# (200) lookups per client of the 32; BENCH_TMPDIR; BENCH_KEEP=1; USERSCTL_BIN.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_USERS:-1000000}
runs=${BENCH_RUNS:-200}
per_client=${BENCH_PARALLEL_LOOKUPS:-200}
clients=32
say() { echo "scripts/bench userdb: $*" >&2; }

if ((EUID != 0)); then
  say "needs root (a private mount namespace over /run and /etc/passwd)"
  exit 2
fi
if [[ -z ${BENCH_USERDB_IN_NAMESPACE:-} ]]; then
  if [[ -n "${USERSCTL_BIN-}" ]]; then
    bin=$USERSCTL_BIN
  else
    (cd "$repo" && scripts/bootstrap -q &&
      cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSERSCTL_TESTS=OFF >/dev/null &&
      cmake --build build-bench --target usersctl >/dev/null)
    bin=$repo/build-bench/usersctl
  fi
  exec unshare --mount --propagation private env BENCH_USERDB_IN_NAMESPACE=1 USERSCTL_BIN="$(realpath "$bin")" "$0" "$@"
fi
bin=$USERSCTL_BIN

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-userdb.XXXXXX")
service_pid=""
cleanup() {
  [[ -z $service_pid ]] || { kill "$service_pid" 2>/dev/null; wait "$service_pid" 2>/dev/null || true; }
  [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf -- "$work"
}
trap cleanup EXIT
db=$work/userdb.db

# ---- the namespace: our /run, and /etc/passwd with one more line at its end ----
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/systemd/userdb
cp /etc/passwd "$work/passwd"
echo 'benchhost:x:59999:59999:Bench Host:/home/benchhost:/bin/bash' >>"$work/passwd"
mount --bind "$work/passwd" /etc/passwd
export SYSTEMD_ONLY_USERDB=io.usersctl.UserDatabase

# ---- the database: n users with explicit uids, imported from JSONL ----
say "importing $n users into $db"
python3 -c '
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"username": "user%d" % i, "uid": 100000 + i, "name": "User %d" % i}))' "$n" >"$work/users.jsonl"
start=$(date +%s.%N)
"$bin" --db "$db" -q import "$work/users.jsonl"
say "imported in $(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }') s; $(du -h "$db" | cut -f1)"
middle=user$(((n + 1) / 2))

socket=/run/systemd/userdb/io.usersctl.UserDatabase
"$bin" --db "$db" userdb serve --socket "$socket" &
service_pid=$!
for _ in $(seq 200); do [[ -S $socket ]] && break; sleep 0.05; done
getent passwd "$middle" >/dev/null || { say "getent passwd $middle failed: the service does not answer"; exit 1; }

median_ms() {
  python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

hyperfine -N --warmup 10 --runs "$runs" --export-json "$work/getent.json" \
  "getent passwd $middle" "getent passwd benchhost" >&2

# 32 clients, each a loop of lookups of random users; every lookup's latency from EPOCHREALTIME
# (no process spawned for the clock).
client() {
  local i start
  for ((i = 0; i < per_client; i++)); do
    start=$EPOCHREALTIME
    getent passwd "user$(((RANDOM * 32768 + RANDOM) % n + 1))" >/dev/null || true
    echo "$start $EPOCHREALTIME"
  done
}
export -f client
export per_client n
wall_start=$EPOCHREALTIME
seq "$clients" | xargs -P "$clients" -I{} bash -c client >"$work/latencies.txt"
wall_end=$EPOCHREALTIME
read -r throughput p50 p95 < <(python3 -c '
import sys
lat = sorted((float(b) - float(a)) * 1000 for a, b in (l.split() for l in open(sys.argv[1])))
wall = float(sys.argv[3]) - float(sys.argv[2])
print("%.0f %.2f %.2f" % (len(lat) / wall, lat[len(lat) // 2], lat[int(len(lat) * 0.95)]))' \
  "$work/latencies.txt" "$wall_start" "$wall_end")
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$service_pid/status")

keys_line="(no ssh-authorized-keys command yet: the posix branch adds it)"
if "$bin" --help 2>/dev/null | grep -q "ssh-authorized-keys"; then
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/keys.json" \
    "$bin --db $db ssh-authorized-keys $middle" >&2 || true
  keys_line="$(median_ms "$work/keys.json" 0) ms"
fi

u_ms=$(median_ms "$work/getent.json" 0)
f_ms=$(median_ms "$work/getent.json" 1)
printf '%-52s %12s %12s %7s\n' "case (at $n users)" "usersctl" "/etc/passwd" "ratio"
printf '%-52s %9s ms %9s ms %7s\n' "getent passwd NAME (median, hyperfine)" "$u_ms" "$f_ms" "$(ratio "$u_ms" "$f_ms")"
printf '%-52s %8s /s\n' "$clients parallel clients: lookups per second" "$throughput"
printf '%-52s %9s ms   (median %s ms)\n' "$clients parallel clients: P95 latency" "$p95" "$p50"
printf '%-52s %8d MiB\n' "service peak RSS (VmHWM)" "$((hwm_kb / 1024))"
printf '%-52s %s\n' "ssh-authorized-keys NAME (median)" "$keys_line"
