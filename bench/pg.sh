#!/bin/sh
# bench/pg.sh start|stop|url: a private PostgreSQL 15 cluster for the
# benchmarks only, apart from the development/test cluster (scripts/pg.sh),
# so that other test runs neither disturb nor get counted in the PostgreSQL
# CPU figures.  Data in /var/tmp/pd-bench-pg-<hash of the clone>, port
# BENCH_PGPORT (default 54339), 127.0.0.1 only.  `start` prints the
# postmaster's pid on stdout; `url` prints the DATABASE_URL.
#
# BENCH_PG_CPUS (default 0): taskset CPU list for the cluster (its backends
# inherit it), so the load generator keeps its own core.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
PGPORT=${BENCH_PGPORT:-54339}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
CPUS=${BENCH_PG_CPUS:-0}
hash=$(printf '%s' "$ROOT" | md5sum | cut -c1-12)
BASE=/var/tmp/pd-bench-pg-$hash
DATA=$BASE/data
SOCK=/tmp/pd-bench-pg.$PGPORT

if [ "$(id -u)" -eq 0 ]; then
	as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
	as_owner() { "$@"; }
fi
say() { printf 'bench-pg: %s\n' "$*" >&2; }

running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
	if running; then
		sed -n 1p "$DATA/postmaster.pid"
		return 0
	fi
	mkdir -p "$BASE" "$SOCK"
	if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$BASE" "$SOCK"; fi
	chmod 700 "$BASE" "$SOCK"
	if [ ! -f "$DATA/PG_VERSION" ]; then
		say "initdb $DATA"
		as_owner "$PGBIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 \
		    --locale=C >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
	fi
	# Default durability (fsync, synchronous_commit on): the server's
	# contract is that a play is committed before it is broadcast.
	as_owner taskset -c "$CPUS" "$PGBIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 \
	    -o "-p $PGPORT -k $SOCK -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=256MB" \
	    start >/dev/null || { tail -n 20 "$BASE/server.log" >&2; exit 1; }
	sed -n 1p "$DATA/postmaster.pid"
}

stop() {
	if running; then as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

url() {
	start >/dev/null
	db=${1:-pd_bench}
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
	printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$PGPORT" "$db"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) shift; url "$@" ;;
*) echo "usage: $0 start|stop|url [dbname]" >&2; exit 2 ;;
esac
