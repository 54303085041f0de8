#!/usr/bin/env bash
# scripts/bench userdb: usersctl as the host's user database (issue 14). At BENCH_USERS users
# (1,000,000): `getent passwd NAME` through nss-systemd and `usersctl userdb serve`, and
# `usersctl ssh-authorized-keys NAME`, each against the floor, a getent hit in /etc/passwd; 32
# parallel clients' throughput and P50/P95/P99 latency; the service's peak RSS.
#
# The parallel load is tests/userdb/userdb_load.cpp: 32 threads that look random existing users up
# over the socket as nss-systemd does (one connection a lookup, GetUserRecord by name). Not 32
# getent processes: on a small machine spawning them would be the load measured, not the service.
#
# Needs root: it runs in a private mount namespace (a tmpfs over /run for the socket, a temp
# copy of /etc/passwd with one extra line bind-mounted over it), so the host is never changed.
# Env: BENCH_USERS (1000000); BENCH_RUNS (200) hyperfine runs per case; BENCH_LOAD_SECONDS (10)
# of parallel load; BENCH_TMPDIR; BENCH_KEEP=1; USERSCTL_BIN; USERDB_LOAD_BIN (else built from
# tests/userdb/userdb_load.cpp with c++ into the temp dir).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_USERS:-1000000}
runs=${BENCH_RUNS:-200}
load_seconds=${BENCH_LOAD_SECONDS:-10}
clients=32
say() { echo "scripts/bench userdb: $*" >&2; }

if ((EUID != 0)); then
  say "needs root (a private mount namespace over /run and /etc/passwd)"
  exit 2
fi
if [[ -z ${BENCH_USERDB_IN_NAMESPACE:-} ]]; then
  # shellcheck source=scripts/lib/bench_bin.sh
  source "$repo/scripts/lib/bench_bin.sh"
  bin=$(bench_bin "$repo")
  load_bin=${USERDB_LOAD_BIN-}
  if [[ -z $load_bin ]]; then
    load_bin=$repo/build-bench/userdb_load
    mkdir -p "$repo/build-bench"
    "${CXX:-c++}" -std=c++17 -O2 -Wall -Wextra -Werror -pthread -o "$load_bin" "$repo/tests/userdb/userdb_load.cpp"
  fi
  exec unshare --mount --propagation private env BENCH_USERDB_IN_NAMESPACE=1 USERSCTL_BIN="$(realpath "$bin")" \
    USERDB_LOAD_BIN="$(realpath "$load_bin")" "$0" "$@"
fi
bin=$USERSCTL_BIN
load_bin=$USERDB_LOAD_BIN

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
# One key for the middle user, so ssh-authorized-keys prints a line as for a real login.
"$bin" --db "$db" -q ssh-key add "$middle" \
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV04V+EM+OZVImpRVs0KXtVoYHvwM7KOBaNscsrMCAz bench@host"

socket=/run/systemd/userdb/io.usersctl.UserDatabase
"$bin" --db "$db" userdb serve --socket "$socket" &
service_pid=$!
for _ in $(seq 200); do [[ -S $socket ]] && break; sleep 0.05; done
getent passwd "$middle" >/dev/null || { say "getent passwd $middle failed: the service does not answer"; exit 1; }

median_ms() {
  python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = op == "<=" ? a <= b : a >= b; print ok ? "ok" : "MISSED" }'; }

# One hyperfine call for the three single lookups, so machine drift falls on all alike.
hyperfine -N --warmup 10 --runs "$runs" --export-json "$work/single.json" \
  "getent passwd $middle" "getent passwd benchhost" "$bin --db $db ssh-authorized-keys $middle" >&2
[[ "$("$bin" --db "$db" ssh-authorized-keys "$middle")" == ssh-ed25519* ]] || { say "ssh-authorized-keys printed no key"; exit 1; }

say "$clients clients for $load_seconds s (userdb_load)"
load_line=$("$load_bin" --socket "$socket" --users "$n" --clients "$clients" --seconds "$load_seconds")
say "$load_line"
field() { sed -E "s/.*(^| )$1=([^ ]+).*/\2/" <<<"$load_line"; }
throughput=$(field lookups_per_s)
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$service_pid/status")
hwm_mib=$((hwm_kb / 1024))

u_ms=$(median_ms "$work/single.json" 0)
f_ms=$(median_ms "$work/single.json" 1)
k_ms=$(median_ms "$work/single.json" 2)
row() { printf '%-44s %11s %11s %7s %12s %7s\n' "$@"; }
row "case (at $n users)" "usersctl" "floor" "ratio" "target" ""
row "getent passwd NAME, median" "$u_ms ms" "$f_ms ms" "$(ratio "$u_ms" "$f_ms")" "<= 2 ms" "$(verdict "$u_ms" "<=" 2)"
row "ssh-authorized-keys NAME, median" "$k_ms ms" "$f_ms ms" "$(ratio "$k_ms" "$f_ms")" "<= 5 ms" "$(verdict "$k_ms" "<=" 5)"
row "$clients clients: lookups per second" "$throughput" "" "" ">= 2000" "$(verdict "$throughput" ">=" 2000)"
for p in p50 p95 p99; do
  target="" ok=""
  [[ $p == p95 ]] && target="<= 100 ms" ok=$(verdict "$(field p95_ms)" "<=" 100)
  row "$clients clients: ${p^^} latency" "$(field "${p}_ms") ms" "$(ratio "$(field "${p}_ms")" "$f_ms")" "" "$target" "$ok"
done
row "service peak RSS (VmHWM)" "$hwm_mib MiB" "" "" "<= 64 MiB" "$(verdict "$hwm_mib" "<=" 64)"
say "floor: getent passwd benchhost, a hit in /etc/passwd; the ratio column is against it"
