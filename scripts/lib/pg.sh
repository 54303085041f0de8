# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests (README.md, "Development"): initdb on a temp dir, trust auth,
# listening only on a unix socket in that dir, on its own port. Source this file, then
#
#   pg_start   start a cluster; on success export USERSCTL_TEST_PG_URL, e.g.
#              postgresql://postgres@/postgres?host=/tmp/usersctl-pg.AbC123/sock&port=54711
#              On failure print why on stderr, clean up and return 1.
#   pg_stop    stop the cluster and remove its files. Safe to call twice or when never started;
#              call it from an EXIT trap.
#
# initdb and postgres refuse to run as root: as root they run as the `postgres` system user
# (created by Debian's postgresql package) in a temp dir that user owns.
# Env: USERSCTL_PG_BINDIR overrides where initdb/pg_ctl/psql are found (default: PostgreSQL 15).

PG_WORKDIR=""
PG_DATADIR=""
PG_BINDIR=""
PG_AS=()

pg__say() { echo "pg: $*" >&2; }

pg__find_bindir() {
  local dir
  if [[ -n "${USERSCTL_PG_BINDIR-}" ]]; then
    [[ -x "$USERSCTL_PG_BINDIR/initdb" && -x "$USERSCTL_PG_BINDIR/pg_ctl" ]] || return 1
    echo "$USERSCTL_PG_BINDIR"
    return 0
  fi
  # Prefer 15 (what Debian 12 ships), else the newest installed.
  for dir in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

pg_start() {
  local sock data port log_tail
  if [[ -n "$PG_WORKDIR" ]]; then
    pg__say "a cluster is already running in $PG_WORKDIR"
    return 1
  fi
  if ! PG_BINDIR=$(pg__find_bindir); then
    pg__say "no PostgreSQL server binaries (initdb, pg_ctl) found; install the postgresql package"
    return 1
  fi

  PG_AS=()
  if ((EUID == 0)); then
    if ! id postgres >/dev/null 2>&1; then
      pg__say "running as root but there is no 'postgres' user to run the server as"
      return 1
    fi
    PG_AS=(runuser -u postgres --)
    # /tmp, not $TMPDIR: the postgres user must be able to reach it.
    PG_WORKDIR=$(mktemp -d /tmp/usersctl-pg.XXXXXX) || return 1
  else
    PG_WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/usersctl-pg.XXXXXX") || return 1
  fi
  sock="$PG_WORKDIR/sock"
  data="$PG_WORKDIR/data"
  # Any port works (the socket lives in our own dir and TCP is off); vary it anyway.
  port=$((54329 + RANDOM % 1000))
  mkdir -m 0700 "$sock" || { pg_stop; return 1; }
  if ((EUID == 0)) && ! chown -R postgres: "$PG_WORKDIR"; then
    pg_stop
    return 1
  fi

  if ! "${PG_AS[@]}" "$PG_BINDIR/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_WORKDIR/initdb.log" 2>&1; then
    log_tail=$(tail -n 5 "$PG_WORKDIR/initdb.log" 2>/dev/null)
    pg__say "initdb failed:"$'\n'"$log_tail"
    pg_stop
    return 1
  fi
  PG_DATADIR="$data"

  # Durability is pointless for a cluster that is deleted at exit: fsync off makes tests faster.
  if ! "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$data" -l "$PG_WORKDIR/server.log" -w -t 60 -s \
    -o "-k $sock -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    log_tail=$(tail -n 5 "$PG_WORKDIR/server.log" 2>/dev/null)
    pg__say "the server did not start:"$'\n'"$log_tail"
    pg_stop
    return 1
  fi

  export USERSCTL_TEST_PG_URL="postgresql://postgres@/postgres?host=$sock&port=$port"
  if [[ -x "$PG_BINDIR/psql" ]] &&
    ! "$PG_BINDIR/psql" "$USERSCTL_TEST_PG_URL" -X -A -t -q -c 'SELECT 1' </dev/null >/dev/null 2>&1; then
    pg__say "the server started but does not answer on $USERSCTL_TEST_PG_URL"
    pg_stop
    return 1
  fi
  return 0
}

pg_stop() {
  local pid
  if [[ -n "$PG_DATADIR" && -f "$PG_DATADIR/postmaster.pid" ]]; then
    if ! "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR" -m immediate -w -t 30 -s stop >/dev/null 2>&1; then
      # Last resort: the postmaster we started, by the pid it recorded.
      pid=$(head -n 1 "$PG_DATADIR/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  if [[ -n "$PG_WORKDIR" && -d "$PG_WORKDIR" ]]; then
    rm -rf -- "$PG_WORKDIR"
  fi
  PG_WORKDIR=""
  PG_DATADIR=""
  unset USERSCTL_TEST_PG_URL
  return 0
}
