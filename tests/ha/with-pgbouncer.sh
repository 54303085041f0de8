#!/usr/bin/env bash
# Runs one command with PgBouncer (the Debian package, in transaction pooling mode) in front of a
# throwaway PostgreSQL cluster (scripts/lib/pg.sh), USERSCTL_TEST_PG_URL pointing at PgBouncer on
# 127.0.0.1 (USERSCTL_TEST_PG_DIRECT_URL: the server itself). Nothing tells usersctl a pooler is
# there: its followers LISTEN and poll as well, and the poll is what reaches them through it.
# PgBouncer runs as a process of ours with its own config in the cluster's temp dir (not as the
# system service) and is stopped by PID, whatever happens.
#
#   tests/ha/with-pgbouncer.sh build/tests/usersctl_e2e_tests --gtest_filter='*postgresql*'
#
# Exit 77 (skipped) when pgbouncer is not installed (scripts/bootstrap installs it).
set -euo pipefail
(($# > 0)) || { echo "usage: with-pgbouncer.sh COMMAND [ARGS...]" >&2; exit 2; }
pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[[ -x "$pgbouncer" ]] || { echo "with-pgbouncer: pgbouncer is not installed" >&2; exit 77; }

# shellcheck source=../../scripts/lib/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/pg.sh"
bouncer_pid=""
stop_all() {
  if [[ -n "$bouncer_pid" ]]; then
    kill "$bouncer_pid" 2>/dev/null || true
    wait "$bouncer_pid" 2>/dev/null || true
  fi
  pg_stop
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
pg_start

# The cluster's socket dir and port, from the URL pg_start exported.
sock=$(sed -E 's/.*host=([^&]*).*/\1/' <<<"$USERSCTL_TEST_PG_URL")
port=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$USERSCTL_TEST_PG_URL")
dir="$PG_WORKDIR/pgbouncer"
mkdir -p "$dir"
listen=$((20000 + RANDOM % 20000))
echo '"postgres" ""' >"$dir/users.txt"
cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$sock port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile =
EOF
((EUID == 0)) && chown -R postgres: "$dir"
"${PG_AS[@]}" "$pgbouncer" "$dir/pgbouncer.ini" 2>>"$dir/stderr.log" &
bouncer_pid=$!
for _ in $(seq 100); do
  "$PG_BINDIR/psql" -X -A -t -q -h 127.0.0.1 -p "$listen" -U postgres -c 'SELECT 1' postgres >/dev/null 2>&1 && break
  sleep 0.1
done
export USERSCTL_TEST_PG_DIRECT_URL=$USERSCTL_TEST_PG_URL
export USERSCTL_TEST_PG_URL="postgresql://postgres@127.0.0.1:$listen/postgres"
echo "with-pgbouncer: USERSCTL_TEST_PG_URL=$USERSCTL_TEST_PG_URL (pool_mode=transaction)" >&2
status=0
"$@" || status=$?
exit "$status"
