#!/usr/bin/env bash
# Failover test for store/postgres: starts a primary and a synchronous
# standby on 127.0.0.1 (the standby cloned with pg_basebackup -R, the
# primary naming it in synchronous_standby_names), then runs
# TestFailover, which writes through a multi-host DSN
# (target_session_attrs=read-write) from concurrent writers, kills the
# primary with SIGKILL, promotes the standby (and a moment later clears
# the synchronous_standby_names it inherited, which until then holds every
# commit: the driver's per-attempt timeout is what keeps writers going),
# and checks that every
# acknowledged write is there and that the same driver carried on. It
# prints acknowledged writes, lost writes and the time to resume. Both
# servers are stopped by their pids on exit.
#
# Usage: .ci/failover.sh [go test flags...]   (default: -count=1 -v -run TestFailover)
#   CXKIT_PG_KEEP=1 keeps the temp dir for inspection.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bindir=
for d in /usr/lib/postgresql/*/bin; do
	if [[ -x $d/pg_ctl && -x $d/initdb && -x $d/pg_basebackup ]]; then bindir=$d; fi
done
if [[ -z $bindir ]]; then
	echo "failover.sh: PostgreSQL server not found; installing it" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq postgresql >/dev/null
	for d in /usr/lib/postgresql/*/bin; do bindir=$d; done
fi

tmp=$(mktemp -d /tmp/cxkit-failover.XXXXXX)
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
	if ! id postgres >/dev/null 2>&1; then
		useradd --system --home-dir "$tmp" --shell /usr/sbin/nologin postgres
	fi
	chown postgres: "$tmp"
	as_pg=(runuser -u postgres --)
fi

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		shuf -i 20000-60000 -n 1
}
p1=$(free_port)
p2=$(free_port)
while [[ $p2 == "$p1" ]]; do p2=$(free_port); done

pid_of() { [[ -f $1/postmaster.pid ]] && head -n1 "$1/postmaster.pid"; }

cleanup() {
	local rc=$? dir pid
	for dir in "$tmp/primary" "$tmp/standby"; do
		if pid=$(pid_of "$dir") && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill -INT "$pid" 2>/dev/null || true
			for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	if [[ ${CXKIT_PG_KEEP:-} == 1 ]]; then
		echo "failover.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$bindir/initdb" -D "$tmp/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; exit 1; }

# A commit returns only once the standby has the commit record on disk
# (synchronous_commit = on, the default, with the standby named): that is
# what makes an acknowledged write survive the primary's loss. fsync is
# off because no machine crashes here, only a server process.
cat >>"$tmp/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $p1
unix_socket_directories = '$tmp'
fsync = off
full_page_writes = off
shared_buffers = 64MB
max_connections = 50
logging_collector = off
synchronous_commit = on
synchronous_standby_names = 'standby1'
wal_level = replica
max_wal_senders = 5
CONF

"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/primary" -l "$tmp/primary.log" -w -t 60 start >/dev/null ||
	{ cat "$tmp/primary.log" >&2; exit 1; }

# The standby's copy of postgresql.conf still names standby1 as its own
# synchronous standby: the trap a promoted server falls into.
"${as_pg[@]}" "$bindir/pg_basebackup" -D "$tmp/standby" -R -X stream -c fast \
	-d "host=127.0.0.1 port=$p1 user=postgres application_name=standby1" >"$tmp/basebackup.log" 2>&1 ||
	{ cat "$tmp/basebackup.log" >&2; exit 1; }
cat >>"$tmp/standby/postgresql.conf" <<CONF
port = $p2
CONF
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/standby" -l "$tmp/standby.log" -w -t 60 start >/dev/null ||
	{ cat "$tmp/standby.log" >&2; exit 1; }

psql_at() { "${as_pg[@]}" "$bindir/psql" -h 127.0.0.1 -p "$1" -U postgres -X -At -c "$2" postgres; }
for _ in $(seq 1 100); do
	[[ $(psql_at "$p1" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'") == sync ]] && break
	sleep 0.1
done
if [[ $(psql_at "$p1" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'") != sync ]]; then
	echo "failover.sh: the standby never became synchronous" >&2
	cat "$tmp/standby.log" >&2
	exit 1
fi

# What the test runs: kill the primary, and promote the standby.
# The postmaster and every backend it started, as when the machine dies: a
# postmaster killed alone leaves its backends serving their connections.
cat >"$tmp/kill.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
pid=\$(head -n1 "$tmp/primary/postmaster.pid")
children=\$(pgrep -P "\$pid" || true)
kill -KILL "\$pid" \$children
SH
cat >"$tmp/promote.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
${as_pg[*]} "$bindir/pg_ctl" -D "$tmp/standby" -w -t 60 promote >/dev/null
SH
# The promoted server still names standby1 (inherited): no standby is left
# to wait for, and until this runs every commit waits for one.
cat >"$tmp/unsync.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
${as_pg[*]} "$bindir/psql" -h 127.0.0.1 -p $p2 -U postgres -X -q -c "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" postgres >/dev/null
SH
chmod 755 "$tmp/kill.sh" "$tmp/promote.sh" "$tmp/unsync.sh"

export CXKIT_FAILOVER_DSN="postgres://postgres@127.0.0.1:$p1,127.0.0.1:$p2/postgres?sslmode=disable&target_session_attrs=read-write&connect_timeout=2"
export CXKIT_FAILOVER_KILL=$tmp/kill.sh
export CXKIT_FAILOVER_PROMOTE=$tmp/promote.sh
export CXKIT_FAILOVER_UNSYNC=$tmp/unsync.sh
echo "failover.sh: primary on 127.0.0.1:$p1, synchronous standby on 127.0.0.1:$p2" >&2

cd "$repo/store/postgres"
if [[ $# -eq 0 ]]; then
	set -- -count=1 -v -run '^TestFailover$'
fi
go test "$@"
