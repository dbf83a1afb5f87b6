#!/bin/sh
# with-db.sh COMMAND [ARG...]: runs COMMAND against a migrated database.
# Without DATABASE_URL it starts the private PostgreSQL (scripts/pg.sh)
# and, under CI, stops it again afterwards if it started it; elsewhere it
# keeps running for faster reruns (`make db-stop` stops it).  Exits with
# COMMAND's status.
set -eu
cd "$(dirname "$0")/.."
started=""
if [ -z "${DATABASE_URL:-}" ]; then
	if ! scripts/pg.sh status >/dev/null 2>&1; then
		started=yes
	fi
	scripts/pg.sh start
	DATABASE_URL=$(scripts/pg.sh url)
	export DATABASE_URL
fi
scripts/migrate.sh
rc=0
"$@" || rc=$?
if [ -n "$started" ] && [ -n "${CI:-}" ]; then
	scripts/pg.sh stop
fi
exit "$rc"
