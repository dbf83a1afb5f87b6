#!/bin/sh
# Applies migrations/NNNN_name.sql in order, each exactly once.  A migration
# and its row in schema_migrations (version = NNNN) commit in one transaction,
# so a failed migration leaves no trace and is tried again next time.
# Migrations must therefore not contain BEGIN/COMMIT of their own.
#
# usage: scripts/migrate.sh
#
# Environment: DATABASE_URL (default: the private cluster, scripts/pg.sh url).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

if [ "$#" -ne 0 ]; then
	echo "usage: $0   (uses DATABASE_URL)" >&2
	exit 2
fi

say() { printf 'migrate: %s\n' "$*"; }

if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(scripts/pg.sh url)
fi

# Quiet psql: no ~/.psqlrc, stop at the first error, no NOTICE chatter.
PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export PGOPTIONS
sql() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

# Two files with one number would make the second one silently "applied".
dups=$(find migrations -maxdepth 1 -name '[0-9][0-9][0-9][0-9]_*.sql' |
    sed 's|.*/\([0-9]\{4\}\)_.*|\1|' | sort | uniq -d)
if [ -n "$dups" ]; then
	say "two migrations share a number: $(echo "$dups" | tr '\n' ' ')"
	exit 1
fi

has_table=$(sql -tA -c "SELECT to_regclass('public.schema_migrations') IS NOT NULL")
if [ "$has_table" = t ]; then
	applied=$(sql -tA -c "SELECT version FROM schema_migrations")
else
	applied=""
fi

count=0
for f in $(find migrations -maxdepth 1 -name '[0-9][0-9][0-9][0-9]_*.sql' | LC_ALL=C sort); do
	version=$(basename "$f" | cut -c1-4)
	if printf '%s\n' "$applied" | grep -qx "$version"; then
		continue
	fi
	# The bootstrap migration creates schema_migrations, so the INSERT
	# always comes after the file, inside the same transaction.
	sql --single-transaction -f "$f" \
	    -c "INSERT INTO schema_migrations (version, applied_at) VALUES ('$version', now())"
	say "applied $(basename "$f")"
	count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
	say "up to date"
else
	say "$count migration(s) applied"
fi
