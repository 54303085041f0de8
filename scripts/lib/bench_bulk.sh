#!/usr/bin/env bash
# scripts/bench bulk: moving users in bulk (issue 7), each measured against a floor in the same run.
#
#  1. import of N users from JSONL into an empty database, against the sqlite3 CLI's `.import` of
#     the same rows as CSV into the same schema, indexes and search-index triggers (aim: <= 2x,
#     peak RSS <= 128 MiB);
#  2. export of those N users as JSONL, against `sqlite3 -json` of the users table (aim: <= 2x);
#  3. for comparison, shadow-utils in a scratch tree (never this machine's /etc; needs root):
#     (a) `useradd --prefix` of one user next to 10,000 others, against `usersctl add` with 10,000;
#     (b) `newusers` of 10,000 users under chroot(8), against `usersctl import` of the same users.
#
# Env: BENCH_BULK_USERS (1000000) users imported and exported; BENCH_BULK_ROUNDS (1) import rounds
# per side, alternating which side goes first (the table shows medians); BENCH_EXPORT_RUNS (3);
# BENCH_USERADD_USERS (10000) users already in the scratch files and database for (a);
# BENCH_ADD_RUNS (10) timed adds per side; BENCH_NEWUSERS_USERS (10000) lines fed to newusers;
# BENCH_NEWUSERS_PAM: `permit` (default) swaps the scratch PAM password stack for pam_permit, so
# newusers stores records without hashing a password, as usersctl import does; `debian` keeps
# Debian's stack (pam_unix yescrypt, ~34 ms a user: 10,000 users take over 10 minutes);
# BENCH_NEWUSERS_TIMEOUT (900) seconds before newusers is given up; BENCH_SHADOW=0 skips part 3;
# BENCH_TMPDIR (TMPDIR or /tmp): keep it on the disk you care about, not tmpfs, as fsync matters;
# BENCH_KEEP=1 keeps the temp dir; USERSCTL_BIN (else build-bench/usersctl is built).
# A table on stdout; progress on stderr. Exits 1 when a check fails or an aim is missed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
n=${BENCH_BULK_USERS:-1000000}
rounds=${BENCH_BULK_ROUNDS:-1}
export_runs=${BENCH_EXPORT_RUNS:-3}
add_users=${BENCH_USERADD_USERS:-10000}
add_runs=${BENCH_ADD_RUNS:-10}
nu_users=${BENCH_NEWUSERS_USERS:-10000}
nu_pam=${BENCH_NEWUSERS_PAM:-permit}
nu_timeout=${BENCH_NEWUSERS_TIMEOUT:-900}
shadow=${BENCH_SHADOW:-1}
say() { echo "scripts/bench bulk: $*" >&2; }

for v in n rounds export_runs add_users add_runs nu_users nu_timeout; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
    say "$v must be a whole number above 0, not '${!v}' (see the Env list at the top of $0)"
    exit 2
  fi
done
if [[ "$nu_pam" != permit && "$nu_pam" != debian ]]; then
  say "BENCH_NEWUSERS_PAM must be permit or debian, not '$nu_pam'"
  exit 2
fi

# shellcheck source=scripts/lib/bench_bin.sh
source "$repo/scripts/lib/bench_bin.sh"
bin=$(bench_bin "$repo")
for tool in sqlite3 hyperfine python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { say "$tool is not installed (scripts/bootstrap installs it)"; exit 1; }
done

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/usersctl-bench-bulk.XXXXXX")
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
  trap 'say "kept $work"' EXIT
else
  trap 'rm -rf -- "$work"' EXIT
fi
trap 'exit 130' INT
trap 'exit 143' TERM HUP

failed=0
fail() { say "FAILED: $*"; failed=1; }

# shellcheck source=scripts/lib/bench_common.sh
source "$repo/scripts/lib/bench_common.sh"  # timed, median_s, peak_mib, ratio, count

# --- the rows -------------------------------------------------------------------------------------
# One awk pass writes the same N users as JSONL (for usersctl) and CSV (for sqlite3): user<i>,
# uid 100000+i, names from 7 first names x 200 surnames (as bench million), user<i>@example<k>.org
# (already lower case, so email_key is the same text). LC_ALL=C: awk copies the UTF-8 bytes as
# they are and runs faster. The timestamps on the CSV side have usersctl's format. The first users
# also go to people.txt (user:uid:name), which the shadow-utils files of part 3 are made from.
say "writing $n users as JSONL and CSV in $work"
few=$((add_users > nu_users ? add_users : nu_users))
LC_ALL=C awk -v n="$n" -v few="$few" -v jsonl="$work/users.jsonl" -v csv="$work/rows.csv" \
  -v people="$work/people.txt" 'BEGIN {
  split("Anna Bernd Chloé Dmitri Émile Fatima Gustav", first, " ")
  split("Müller Synthetic Okafor Nakamura", special, " ")
  for (i = 1; i <= n; i++) {
    s = int(i / 7) % 200
    name = first[i % 7 + 1] " " (s < 4 ? special[s + 1] : "Family" s)
    email = "user" i "@example" (i % 50) ".org"
    printf "{\"username\":\"user%d\",\"uid\":%d,\"name\":\"%s\",\"email\":\"%s\",\"disabled\":false}\n",
      i, 100000 + i, name, email > jsonl
    printf "user%d,%d,%s,%s,%s,0,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,bench,bench\n",
      i, 100000 + i, name, email, email > csv
    if (i <= few) print "user" i ":" 100000 + i ":" name > people
  }
}'

# Both sides start from the same empty database: usersctl makes the schema, it is checkpointed
# (nothing left in a WAL file) and copied, so pages, indexes, triggers and settings are alike.
# A database is made by its first change (health only reads one that is there): a seed user,
# purged again, leaves the schema and no user.
"$bin" --db "$work/base.db" add seed -q >/dev/null
"$bin" --db "$work/base.db" delete seed --purge --yes -q >/dev/null
sqlite3 "$work/base.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# sqlite3 cannot .import into a table while naming columns, so rows go through a TEMP VIEW whose
# INSTEAD OF trigger inserts them into users; users' own triggers (the search index) fire as they
# do for usersctl. synchronous=FULL matches usersctl's durability; one transaction, as usersctl.
sqlite3_import_sql="PRAGMA synchronous=FULL;
CREATE TEMP VIEW v AS SELECT username, uid, name, email, email_key, disabled, created_at, updated_at,
  created_by, updated_by FROM users;
CREATE TEMP TRIGGER v_insert INSTEAD OF INSERT ON v BEGIN
  INSERT INTO users (username, uid, name, email, email_key, disabled, created_at, updated_at,
    created_by, updated_by)
  VALUES (new.username, new.uid, new.name, new.email, new.email_key, new.disabled, new.created_at,
    new.updated_at, new.created_by, new.updated_by);
END;
.mode csv
BEGIN;
.import \"$work/rows.csv\" v
COMMIT;"

import_usersctl() {
  timed "$work/import-usersctl.txt" "$bin" --db "$1" --actor bench -q import "$work/users.jsonl"
}
import_sqlite3() { timed "$work/import-sqlite3.txt" sqlite3 "$1" <<<"$sqlite3_import_sql"; }

# --- 1. import ------------------------------------------------------------------------------------
# Each round imports into fresh copies; the last round's databases are kept for the checks and
# for export. Alternating which side goes first spreads drift on the machine over both sides.
for ((round = 1; round <= rounds; round++)); do
  rm -f "$work"/import-*.db*
  cp "$work/base.db" "$work/import-usersctl.db"
  cp "$work/base.db" "$work/import-sqlite3.db"
  sync  # so that writing back the copies (and earlier rounds) is not paid for by the timed runs
  say "import round $round of $rounds: $n users"
  if ((round % 2 == 1)); then
    import_usersctl "$work/import-usersctl.db"
    import_sqlite3 "$work/import-sqlite3.db"
  else
    import_sqlite3 "$work/import-sqlite3.db"
    import_usersctl "$work/import-usersctl.db"
  fi
done

u_db=$work/import-usersctl.db
s_db=$work/import-sqlite3.db
for db in "$u_db" "$s_db"; do
  have=$(count "$db" 'SELECT count(*) FROM users')
  [[ "$have" == "$n" ]] || fail "$(basename "$db") holds $have users, not $n"
done
# The seed's events (created, deleted, purged) came with the empty database.
seed_events=$(count "$work/base.db" 'SELECT max(sequence) FROM events')
have=$(count "$u_db" "SELECT count(*) FROM events WHERE type = 'user.created' AND sequence > $seed_events")
[[ "$have" == "$n" ]] || fail "usersctl's database holds $have user.created events, not $n"
have=$(count "$u_db" "SELECT count(*) FROM events WHERE sequence > $seed_events")
[[ "$have" == "$n" ]] || fail "usersctl's database holds $have events in all, not $n"
say "databases: usersctl $(du -h "$u_db" | cut -f1), sqlite3 $(du -h "$s_db" | cut -f1)"

# --- 2. export ------------------------------------------------------------------------------------
# Both read the same file (usersctl's import), warm, alternating.
say "export: $export_runs runs per side"
for ((run = 1; run <= export_runs; run++)); do
  if ((run % 2 == 1)); then
    timed "$work/export-usersctl.txt" "$bin" --db "$u_db" -q export >/dev/null
    timed "$work/export-sqlite3.txt" sqlite3 -json "$u_db" 'SELECT * FROM users ORDER BY username' >/dev/null
  else
    timed "$work/export-sqlite3.txt" sqlite3 -json "$u_db" 'SELECT * FROM users ORDER BY username' >/dev/null
    timed "$work/export-usersctl.txt" "$bin" --db "$u_db" -q export >/dev/null
  fi
done
lines=$("$bin" --db "$u_db" -q export | wc -l)
[[ "$lines" == "$n" ]] || fail "export printed $lines lines, not $n"

# --- 3. shadow-utils, in a scratch tree -----------------------------------------------------------
# The host's account files must come out of this untouched: their sizes and times are compared
# before and after, and the run fails loudly if anything changed.
host_files=(/etc/passwd /etc/group /etc/shadow /etc/gshadow)
host_stamp() { stat -c '%n %s %Y' "${host_files[@]}" 2>/dev/null || true; }

# scratch_etc DIR COUNT: DIR/etc with root plus the first COUNT users (uid = gid = 100000+i, the
# name as GECOS: the same users as the JSONL's first COUNT lines), each with a user private group
# as useradd makes.
scratch_etc() {
  local dir=$1 count=$2
  mkdir -p "$dir/etc"
  cp /etc/login.defs "$dir/etc/"
  head -n "$count" "$work/people.txt" | LC_ALL=C awk -F: -v etc="$dir/etc" '
    BEGIN {
      print "root:x:0:0:root:/root:/bin/bash" > (etc "/passwd")
      print "root:*:20000:0:99999:7:::" > (etc "/shadow")
      print "root:x:0:" > (etc "/group")
      print "root:*::" > (etc "/gshadow")
    }
    {
      print $1 ":x:" $2 ":" $2 ":" $3 ":/home/" $1 ":/bin/sh" > (etc "/passwd")
      print $1 ":!:20000:0:99999:7:::" > (etc "/shadow")
      print $1 ":x:" $2 ":" > (etc "/group")
      print $1 ":!::" > (etc "/gshadow")
    }'
  chmod 640 "$dir/etc/shadow" "$dir/etc/gshadow"
}

# chroot_tree DIR: newusers, the libraries it and its PAM modules load (at the paths ldd names,
# with Debian's /lib -> usr/lib links), /etc/pam.d/newusers and the common-* files it includes,
# and an existing home directory. Debian's newusers has no --prefix and its -R rejects its own
# option after chrooting, hence chroot(8) around the whole tree.
chroot_tree() {
  local dir=$1 libdir=/lib/x86_64-linux-gnu f target
  mkdir -p "$dir/usr/sbin" "$dir/usr$libdir/security" "$dir/usr/lib64" "$dir/etc/pam.d" "$dir/nonexistent"
  ln -s usr/lib "$dir/lib"
  ln -s usr/lib64 "$dir/lib64"
  cp /usr/sbin/newusers "$dir/usr/sbin/"
  local -a objects=(/usr/sbin/newusers)
  for f in pam_unix.so pam_deny.so pam_permit.so; do
    cp "$libdir/security/$f" "$dir$libdir/security/"
    objects+=("$libdir/security/$f")
  done
  # ldd prints "name => /path (addr)" for libraries and "\t/path (addr)" for the loader.
  for f in $(ldd "${objects[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } /^\t\// { print $1 }' |
    sort -u); do
    target=$(realpath "$(dirname "$f")")
    mkdir -p "$dir$target"
    cp -L "$f" "$dir$target/"
  done
  cp /etc/pam.d/newusers /etc/pam.d/common-* "$dir/etc/pam.d/"
  if [[ "$nu_pam" == permit ]]; then
    # No password hashing: usersctl import stores records without hashing too, and yescrypt
    # (~34 ms a user) would otherwise be nearly all of newusers' time.
    printf 'password required pam_permit.so\n' >"$dir/etc/pam.d/newusers"
  fi
}

add_line=""
nu_line=""
if [[ "$shadow" != 1 ]]; then
  say "part 3 (shadow-utils) skipped: BENCH_SHADOW=$shadow"
elif ((EUID != 0)); then
  say "part 3 (shadow-utils) skipped: useradd --prefix and chroot need root"
else
  before=$(host_stamp)
  q() { printf "'%s'" "$1"; }  # quote a path for hyperfine's shell-words splitting

  # (a) one useradd next to add_users others. hyperfine's untimed --prepare removes the added
  # user again (from the scratch files with sed, from the database with sqlite3) before every run.
  say "useradd --prefix vs usersctl add, $add_users users there, $add_runs runs each"
  scratch=$work/useradd-root
  scratch_etc "$scratch" "$add_users"
  head -n "$add_users" "$work/users.jsonl" >"$work/add.jsonl"
  add_db=$work/add.db
  cp "$work/base.db" "$add_db"
  "$bin" --db "$add_db" --actor bench -q import "$work/add.jsonl"
  s_etc=$scratch/etc
  unadd_files="$(q "$s_etc/passwd") $(q "$s_etc/shadow") $(q "$s_etc/group") $(q "$s_etc/gshadow")"
  hyperfine -N --style basic --warmup 1 --runs "$add_runs" --export-json "$work/add.json" \
    --prepare "sed -i /^benchadd:/d $unadd_files" -n useradd "useradd --prefix $(q "$scratch") benchadd" \
    --prepare "sqlite3 $(q "$add_db") \"DELETE FROM users WHERE username = 'benchadd'\"" \
    -n usersctl "$(q "$bin") --db $(q "$add_db") -q add benchadd" >&2
  add_ms() {  # median of hyperfine's command $1 (0 useradd, 1 usersctl) in ms
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
print("%.1f" % (r["median"] * 1000))' "$work/add.json" "$1"
  }
  ua=$(add_ms 0)
  us=$(add_ms 1)
  add_line=$(printf '%-44s %9s ms %9s ms %7s' "add 1 user next to $add_users (median)" "$us" "$ua" \
    "$(ratio "$us" "$ua")")

  # (b) newusers of nu_users users into files holding only root, against usersctl import of the
  # same users (the JSONL's first lines) into an empty database. Homes point at one existing
  # directory so newusers makes no directories (usersctl makes none either).
  say "newusers under chroot ($nu_pam PAM stack) vs usersctl import, $nu_users users"
  nu_root=$work/newusers-root
  chroot_tree "$nu_root"
  scratch_etc "$nu_root" 0
  head -n "$nu_users" "$work/users.jsonl" >"$work/nu.jsonl"
  head -n "$nu_users" "$work/people.txt" |
    LC_ALL=C awk -F: '{ print $1 ":pw" NR ":" $2 ":" $2 ":" $3 ":/nonexistent:/bin/sh" }' >"$work/newusers.txt"
  nu_db=$work/nu.db
  cp "$work/base.db" "$nu_db"
  timed "$work/nu-usersctl.txt" "$bin" --db "$nu_db" --actor bench -q import "$work/nu.jsonl"
  nu_rc=0
  timed "$work/nu-newusers.txt" timeout "$nu_timeout" chroot "$nu_root" /usr/sbin/newusers \
    <"$work/newusers.txt" >"$work/newusers.log" 2>&1 || nu_rc=$?
  nu_have=$(($(wc -l <"$nu_root/etc/passwd") - 1))
  nu_us=$(median_s "$work/nu-usersctl.txt")
  nu_label="newusers vs import, $nu_users users"
  if [[ "$nu_pam" == permit ]]; then nu_label+=", no hashing"; else nu_label+=", yescrypt"; fi
  if ((nu_rc == 0)) && ((nu_have == nu_users)); then
    nu_sh=$(median_s "$work/nu-newusers.txt")
    nu_line=$(printf '%-44s %10s s %10s s %7s' "$nu_label" "$nu_us" "$nu_sh" "$(ratio "$nu_us" "$nu_sh")")
  else
    if ((nu_rc == 124)); then
      say "newusers did not finish in $nu_timeout s ($nu_have users written)"
    else
      say "newusers failed (exit $nu_rc, $nu_have of $nu_users users written): $(tail -n 3 "$work/newusers.log")"
    fi
    nu_line=$(printf '%-44s %10s s %12s %7s' "$nu_label" "$nu_us" "not measured" "-")
    nu_line+=$'\n'"  newusers, quoted from BASELINES.md, NOT measured here: 10k users 29.7 s without hashing,"
    nu_line+=" 844 s with yescrypt"
  fi

  if [[ "$(host_stamp)" != "$before" ]]; then
    say "THE HOST'S ACCOUNT FILES CHANGED during part 3; compare: $before"
    host_stamp >&2
    exit 1
  fi
fi

# --- the table ------------------------------------------------------------------------------------
i_us=$(median_s "$work/import-usersctl.txt")
i_sq=$(median_s "$work/import-sqlite3.txt")
e_us=$(median_s "$work/export-usersctl.txt")
e_sq=$(median_s "$work/export-sqlite3.txt")
i_rss=$(peak_mib "$work/import-usersctl.txt")
e_rss=$(peak_mib "$work/export-usersctl.txt")
i_ratio=$(ratio "$i_us" "$i_sq")
e_ratio=$(ratio "$e_us" "$e_sq")
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "ok" : "OVER" }'; }  # VALUE LIMIT
v_i=$(verdict "$i_ratio" 2)
v_e=$(verdict "$e_ratio" 2)
v_ir=$(verdict "$i_rss" 128)
missed=0
[[ "$v_i$v_e$v_ir" == okokok ]] || missed=1

printf 'Bulk: usersctl vs a floor in the same run (median of %d import round(s), %d export runs)\n' \
  "$rounds" "$export_runs"
printf '%-44s %12s %12s %7s\n' "case" "usersctl" "other" "ratio"
printf '%-44s %10s s %10s s %7s   aim <= 2x: %s; peak RSS %d MiB (aim <= 128): %s\n' \
  "import $n users (vs sqlite3 .import)" "$i_us" "$i_sq" "$i_ratio" "$v_i" "$i_rss" "$v_ir"
printf '%-44s %10s s %10s s %7s   aim <= 2x: %s; peak RSS %d MiB\n' \
  "export $n users (vs sqlite3 -json)" "$e_us" "$e_sq" "$e_ratio" "$v_e" "$e_rss"
[[ -z "$add_line" ]] || printf '%s   (vs useradd --prefix)\n' "$add_line"
[[ -z "$nu_line" ]] || printf '%s\n' "$nu_line"
if [[ -n "$add_line" || -n "$nu_line" ]]; then
  printf '%s\n' "ratios: usersctl time / other tool's time; below 1 means usersctl is faster"
fi

if ((failed)); then exit 1; fi
if ((missed)); then exit 1; fi
