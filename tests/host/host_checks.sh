# The checks of check_host.sh, sourced by it inside the namespace with the service running on
# $USERSCTL_DB (alice 61001 and bob 61002 in hostdevs 61100, collide 4243).
# shellcheck shell=bash

# ---- NSS: getent and id ----
check "passwd by name" 'alice:x:61001:61001:Alice Host:/home/alice:/bin/bash' getent passwd alice
check "passwd by uid" 'alice:x:61001:61001:Alice Host:/home/alice:/bin/bash' getent passwd 61001
check "group with members" 'hostdevs:x:61100:alice,bob' getent group hostdevs
check "group by gid" 'hostdevs:x:61100:alice,bob' getent group 61100
check "user private group, synthesized" 'alice:x:61001:alice' getent group alice
check "user private group by gid" 'alice:x:61001:alice' getent group 61001
check "id lists the groups (initgroups)" 'uid=61001(alice) gid=61001(alice) groups=61001(alice),61100(hostdevs)' id alice
check "enumeration lists ours" $'*alice:x:61001:*\nbob:x:61002:*' getent passwd
check "group enumeration lists ours" '*hostdevs:x:61100:alice,bob*' getent group
check "shadow as root: the yescrypt hash" 'alice:$y$*' getent shadow alice
check "shadow as nobody: nothing" '' nobody getent shadow alice
check "passwd as nobody still resolves" 'alice:x:61001:61001:*' nobody getent passwd alice
check "unknown user" '' getent passwd nosuchuser

# Changes are served at once: nothing is cached.
printf 'carol-secret\n' | u add carol --uid 61003 --password-stdin
check "a new user resolves at once" 'carol:x:61003:61003::/home/carol:/bin/bash' getent passwd carol
u update carol --shell /bin/sh --name 'Carol C'
check "an update shows at once" 'carol:x:61003:61003:Carol C:/home/carol:/bin/sh' getent passwd carol
u delete carol
check "a deleted user is gone at once" '' getent passwd carol

# ---- PAM: pam_unix through pamtester ----
pam() { printf '%s\n' "$2" | pamtester usersctl-test "$1" authenticate acct_mgmt; }
check "pam: right password" '*successfully authenticated*' pam alice alice-secret
check "pam: wrong password" '*Authentication failure*' pam alice wrong
u update bob --disable
check "pam: disabled user, right password" '*fail*' pam bob bob-secret
check "disabled: shadow hash unusable" 'bob:!$y$*' getent shadow bob
u update bob --enable
check "pam: re-enabled user" '*successfully authenticated*' pam bob bob-secret
# Expiry (issue 17): the userdb record's notAfterUSec reaches pam_unix as the shadow expire day
# (nss-systemd), and its account step refuses the right password of an expired account.
u update bob --expires-at 2001-01-01
check "expired: the shadow expire field is its day" 'bob:$y$*:11323:' getent shadow bob
check "pam: expired user, right password" '*User account has expired*' pam bob bob-secret
u update bob --expires-at 2999-01-01
check "pam: expiry still ahead" '*successfully authenticated*' pam bob bob-secret
u update bob --expires-at never
check "pam: no expiry again" '*successfully authenticated*' pam bob bob-secret

# ---- sshd: key login through AuthorizedKeysCommand, account through PAM ----
port=$((20000 + RANDOM % 20000))
ssh-keygen -q -t ed25519 -N '' -C host-test -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -C alice-test -f "$work/alice_key"
# sshd runs the command only from a root-owned path no one else may write to: /run/usersctl-test.
# The keys come from the database: alice's key is added with `usersctl ssh-key add`; bob has the
# same key, so a refused login for a disabled bob proves the account check, not a missing key.
cp "$usersctl" /run/usersctl-test/usersctl
chmod 755 /run/usersctl-test/usersctl
u ssh-key add alice "$(cat "$work/alice_key.pub")"
u ssh-key add bob "$(cat "$work/alice_key.pub")"
check "ssh-authorized-keys prints the key" "$(cut -d' ' -f1-3 "$work/alice_key.pub")" \
  /run/usersctl-test/usersctl --db "$USERSCTL_DB" ssh-authorized-keys alice
cat >"$work/sshd_config" <<SSHD
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
UsePAM yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
AuthorizedKeysCommand /run/usersctl-test/usersctl --db $USERSCTL_DB ssh-authorized-keys %u
AuthorizedKeysCommandUser root
PermitRootLogin no
StrictModes no
SetEnv SYSTEMD_ONLY_USERDB=io.usersctl.UserDatabase
SSHD
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
pids+=("$sshd_pid")
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
ssh_as() {
  ssh -p "$port" -i "$work/alice_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR "$1@127.0.0.1" id 2>"$work/ssh.err"
}
check "ssh: key login runs id as alice" 'uid=61001(alice) gid=61001(alice) groups=61001(alice),61100(hostdevs)' ssh_as alice
u update bob --disable
# sshd accepts the key, then PAM's account step refuses the locked account.
refused() { local out; out=$(ssh_as "$1"); [[ $out == *uid=* ]] && echo "logged in: $out" || echo refused; }
check "ssh: a disabled user is refused" 'refused' refused bob
u update bob --enable
check "ssh: the same key, re-enabled user" 'uid=61002(bob)*' ssh_as bob
if ((failures > 0)); then echo "sshd's log:"; tail -20 "$work/sshd.log" "$work/ssh.err"; fi

# ---- The service under load, and with the database locked ----
parallel_lookups() { seq 300 | xargs -P 300 -I{} getent passwd alice | grep -c '^alice:x:61001:'; }
check "300 parallel lookups all answer" '300' parallel_lookups

# Holds the database for 8 s; prints "locked" once it does. PostgreSQL: an exclusive table lock
# (readers wait for it; the service's lock_timeout is 1 s). SQLite in WAL mode never blocks a
# reader on a writer, so what stands for a stuck database there is the WAL index's read-mark locks
# held by someone else (fcntl on bytes 123..127 of the -shm file): a reader then retries for many
# seconds, the worst a hung disk or a stuck process can do.
lock_database() {
  case $backend in
    sqlite) exec python3 -c '
import fcntl, sys, time
with open(sys.argv[1] + "-shm", "r+b") as shm:
    fcntl.lockf(shm, fcntl.LOCK_EX, 5, 123, 0)
    print("locked", flush=True)
    time.sleep(8)' "$USERSCTL_DB" ;;
    postgresql) exec psql "$USERSCTL_DB" -qAt -c 'BEGIN' -c 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE' \
      -c "SELECT 'locked'" -c 'SELECT pg_sleep(8)' -c 'COMMIT' ;;
  esac
}
lock_database >"$work/lock.out" 2>&1 &  # a subshell that execs the locker: $! is its PID
lock_pid=$!
pids+=("$lock_pid")
for _ in $(seq 100); do grep -q locked "$work/lock.out" && break; sleep 0.05; done
check "the database is held" 'locked' cat "$work/lock.out"
check "database locked: getent gives up within 3 s" 'rc=2 fast' elapsed getent passwd alice
kill "$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
# A backend in pg_sleep notices its client is gone only when the sleep ends: end it now.
if [[ $backend == postgresql ]]; then
  psql "$USERSCTL_DB" -qAtc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'" >/dev/null
fi
check "lock released: answers again" 'alice:x:61001:*' getent passwd alice

# ---- Host accounts win ----
check "a name the host has is the host's" 'collide:x:4242:4242::/:/bin/false' getent passwd collide
check "our colliding user is not served (by uid)" '' getent passwd 4243
check "root is still the host's" "$(grep '^root:' /etc/passwd)" getent passwd root
check "health lists the collision" '*"host_collisions":*"user collide (name)"*' "$usersctl" --db "$USERSCTL_DB" health -o json
