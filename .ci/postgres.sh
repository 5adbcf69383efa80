#!/usr/bin/env bash
# Runs the store/postgres module's tests against a throwaway PostgreSQL
# cluster: installs PostgreSQL if missing, initialises a cluster in a temp
# dir, starts it on 127.0.0.1 on a free port, exports the DSN (and what the
# restart test needs), runs the tests, and stops the server by its pid on
# exit, also when the tests fail.
#
# Usage: .ci/postgres.sh [go test flags...]   (from anywhere in the repo)
#   default flags: -race -count=1 ./...
#   CXKIT_PG_KEEP=1 keeps the temp dir for inspection.
#   CXKIT_PG_GROWTH="-sizes 10000" then runs the growth benchmark
#   (internal/bench/cmd/growth) on PostgreSQL against the same server, with
#   these flags (see BENCHMARKS.md, Growth).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

find_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		if [[ -x $d/pg_ctl && -x $d/initdb ]]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

if ! bindir=$(find_bin); then
	echo "postgres.sh: PostgreSQL server not found; installing it" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq postgresql >/dev/null
	bindir=$(find_bin)
fi

tmp=$(mktemp -d /tmp/cxkit-pg.XXXXXX)
pgdata=$tmp/data

# The server refuses to run as root: run it as an unprivileged user.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
	if ! id postgres >/dev/null 2>&1; then
		useradd --system --home-dir "$tmp" --shell /usr/sbin/nologin postgres
	fi
	chown postgres: "$tmp"
	as_pg=(runuser -u postgres --)
fi

server_pid() { [[ -f $pgdata/postmaster.pid ]] && head -n1 "$pgdata/postmaster.pid"; }

cleanup() {
	local rc=$? pid
	# The restart test changes the pid, so read it from the data dir now.
	if pid=$(server_pid) && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid" 2>/dev/null || true # fast shutdown
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	if [[ ${CXKIT_PG_KEEP:-} == 1 ]]; then
		echo "postgres.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$bindir/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
	shuf -i 20000-60000 -n 1)

# Settings for a throwaway server: no durability work, small footprint.
cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
logging_collector = off
CONF

"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$tmp/server.log" -w -t 60 start >/dev/null ||
	{ cat "$tmp/server.log" >&2; exit 1; }

# A command the restart test runs to restart the server under the same user.
cat >"$tmp/restart.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
${as_pg[*]} "$bindir/pg_ctl" -D "$pgdata" -l "$tmp/server.log" -w -t 60 -m fast restart >/dev/null
SH
chmod 755 "$tmp/restart.sh"

export CXKIT_POSTGRES_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
export CXKIT_POSTGRES_PGDATA=$pgdata
export CXKIT_POSTGRES_PGCTL=$bindir/pg_ctl
export CXKIT_POSTGRES_RESTART=$tmp/restart.sh
echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $pgdata" >&2

cd "$repo/store/postgres"
if [[ $# -eq 0 ]]; then
	set -- -race -count=1 ./...
fi
go test "$@"

if [[ -n ${CXKIT_PG_GROWTH:-} ]]; then
	cd "$repo"
	# Word splitting of the flags is intended.
	# shellcheck disable=SC2086
	go run ./internal/bench/cmd/growth -drivers postgres $CXKIT_PG_GROWTH
fi
