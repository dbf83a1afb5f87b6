#!/bin/sh
# A private PostgreSQL 15 cluster for development and tests, kept under var/pg
# and listening only on 127.0.0.1:$PGPORT, so it never meets a system cluster.
#
# usage: scripts/pg.sh start|stop|status|url
#   start   create the cluster if needed, start it, wait until it is ready
#   stop    stop it (fast shutdown)
#   status  say whether it runs (exit 0 if it does, 3 if not)
#   url     start it if needed, create the database if missing, and print
#           its DATABASE_URL on stdout (everything else goes to stderr)
#
# Environment: PGPORT (default 54329), PG_DBNAME (default paperdynasty),
# PGBIN (default /usr/lib/postgresql/15/bin).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
PGPORT=${PGPORT:-54329}
PG_DBNAME=${PG_DBNAME:-paperdynasty}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGLINK="$ROOT/var/pg"
# Unix socket paths are limited to 107 bytes and the clone may be deep, so
# the socket lives in a short directory of its own.  Clients use TCP.
SOCKDIR="/tmp/pd-pg.$PGPORT"

usage() {
	echo "usage: $0 start|stop|status|url" >&2
	exit 2
}

say() { printf 'pg: %s\n' "$*" >&2; }

# Commands that touch the cluster's files run as its owner.  PostgreSQL
# refuses to run as root, so as root that is the `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || {
		say "no 'postgres' user: install the postgresql package (scripts/setup.sh)"
		exit 1
	}
	# From / because postgres may not be allowed into the current folder.
	as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
	as_owner() { "$@"; }
fi

# Makes $PGLINK a directory the owner can use.  When the postgres user cannot
# reach into the clone (a clone under /root is mode 700), the cluster goes
# into /var/tmp and var/pg becomes a symlink to it.
prepare_dir() {
	mkdir -p "$ROOT/var"
	if [ -L "$PGLINK" ]; then
		target=$(readlink "$PGLINK")
		if [ ! -d "$target" ]; then
			say "var/pg points to $target, which is gone: making it again"
			mkdir -p "$target"
			[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$target"
			chmod 700 "$target"
		fi
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		mkdir -p "$PGLINK"
		return 0
	fi
	if [ -d "$PGLINK" ]; then
		chown postgres:postgres "$PGLINK"
		if as_owner test -w "$PGLINK"; then
			return 0
		fi
		say "postgres cannot reach $PGLINK (is a parent folder mode 700?)"
		say "move or remove var/pg; it is left as it is"
		exit 1
	fi
	mkdir -p "$PGLINK"
	chown postgres:postgres "$PGLINK"
	chmod 700 "$PGLINK"
	if as_owner test -w "$PGLINK"; then
		return 0
	fi
	rmdir "$PGLINK"
	# One directory per clone: a short hash of its path.
	hash=$(printf '%s' "$ROOT" | md5sum | cut -c1-12)
	target="/var/tmp/paperdynasty-pg-$hash"
	say "postgres cannot traverse $ROOT: keeping the cluster in $target"
	say "var/pg is a symlink to it"
	mkdir -p "$target"
	chown postgres:postgres "$target"
	chmod 700 "$target"
	ln -s "$target" "$PGLINK"
}

# Resolved once var/pg exists: data directory and server log.
paths() {
	if [ -L "$PGLINK" ]; then
		base=$(readlink "$PGLINK")
	else
		base="$PGLINK"
	fi
	PGDATA_DIR="$base/data"
	PGLOG="$base/server.log"
}

is_running() {
	[ -e "$PGLINK" ] || return 1
	paths
	[ -f "$PGDATA_DIR/PG_VERSION" ] || return 1
	as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

is_ready() {
	"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres
}

wait_ready() {
	i=0
	while ! is_ready; do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			say "not ready after 20 s; last lines of $PGLOG:"
			tail -n 20 "$PGLOG" >&2 || true
			exit 1
		fi
		sleep 0.2
	done
}

start() {
	if is_running; then
		# Line 4 of postmaster.pid is the port it listens on.
		running_port=$(sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
		if [ -n "$running_port" ] && [ "$running_port" != "$PGPORT" ]; then
			say "the cluster already runs on port $running_port, not $PGPORT: stop it first"
			exit 1
		fi
		wait_ready
		say "already running on 127.0.0.1:$PGPORT ($PGDATA_DIR)"
		return 0
	fi
	# Something else on our port would make every later step talk to the
	# wrong server.
	if is_ready; then
		say "another server already answers on 127.0.0.1:$PGPORT; choose another PGPORT"
		exit 1
	fi
	prepare_dir
	paths
	if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
		say "initdb $PGDATA_DIR (slow, once)"
		as_owner "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres \
		    -E UTF8 --locale=C >"$PGDATA_DIR.initdb.log" 2>&1 || {
			cat "$PGDATA_DIR.initdb.log" >&2
			exit 1
		}
	fi
	mkdir -p "$SOCKDIR"
	[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$SOCKDIR"
	chmod 700 "$SOCKDIR"
	say "starting on 127.0.0.1:$PGPORT"
	# -w waits until the server accepts connections.
	if ! as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 \
	    -o "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c max_connections=200" \
	    start >/dev/null; then
		say "start failed; last lines of $PGLOG:"
		tail -n 20 "$PGLOG" >&2 || true
		exit 1
	fi
	wait_ready
	say "ready on 127.0.0.1:$PGPORT (log: $PGLOG)"
}

stop() {
	if ! is_running; then
		say "not running"
		return 0
	fi
	as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
	say "stopped"
}

status() {
	if is_running; then
		say "running on 127.0.0.1:$PGPORT ($PGDATA_DIR)"
		return 0
	fi
	say "not running"
	return 3
}

url() {
	start
	psql_admin() {
		psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres \
		    -d postgres "$@"
	}
	exists=$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DBNAME'")
	if [ "$exists" != 1 ]; then
		say "creating database $PG_DBNAME"
		psql_admin -c "CREATE DATABASE \"$PG_DBNAME\""
	fi
	printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$PGPORT" "$PG_DBNAME"
}

[ $# -eq 1 ] || usage
case "$1" in
start) start ;;
stop) stop ;;
status) status ;;
url) url ;;
*) usage ;;
esac
