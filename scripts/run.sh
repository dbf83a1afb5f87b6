#!/bin/sh
# What `make run` does once the build is done: a database (the private
# cluster unless DATABASE_URL is set), migrations, demo data, then the server
# in the foreground.
#
# usage: scripts/run.sh
#
# Environment: PORT (default 8000), WORKERS (default: one per core),
# JWT_SECRET (default: a fixed development key), DATABASE_URL, PGPORT,
# RATE_LIMITS.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

if [ "$#" -ne 0 ]; then
	echo "usage: $0   (configured by environment: PORT, WORKERS, JWT_SECRET, DATABASE_URL)" >&2
	exit 2
fi

say() { printf 'run: %s\n' "$*" >&2; }

# A script that lost its execute bit (a checkout on an odd file system, say)
# still runs, with bash, which also runs plain sh scripts.
runner() { if [ -x "$1" ]; then echo ""; else echo bash; fi; }

if [ -z "${DATABASE_URL:-}" ]; then
	say "DATABASE_URL is unset: using the private PostgreSQL under var/pg"
	scripts/pg.sh start
	DATABASE_URL=$(scripts/pg.sh url)
fi
export DATABASE_URL

scripts/migrate.sh

# Demo data is optional: loaded only when the project has a loader.
if [ -f scripts/demo.sh ]; then
	say "loading demo data (scripts/demo.sh)"
	$(runner scripts/demo.sh) scripts/demo.sh
fi

if [ -z "${JWT_SECRET:-}" ]; then
	JWT_SECRET="paper-dynasty-development-key-do-not-use-in-production"
	say "################################################################"
	say "# WARNING: JWT_SECRET is unset, so the server uses the fixed"
	say "# DEVELOPMENT key '$JWT_SECRET'."
	say "# Anyone can forge tokens for it. Set JWT_SECRET in production."
	say "################################################################"
fi
export JWT_SECRET

PORT=${PORT:-8000}
export PORT
# WORKERS stays unset unless given: serve.sh then uses one per core.

if [ ! -f scripts/serve.sh ]; then
	say "scripts/serve.sh is missing: nothing to serve with"
	exit 1
fi
say "serving on http://127.0.0.1:$PORT/"
exec $(runner scripts/serve.sh) scripts/serve.sh
