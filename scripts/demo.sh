#!/bin/sh
# Demo data for `make run`: two users (passwords printed below), a team
# each with a starter roster from the card pool, and a game between them
# already in progress (the engine plays its first plays: build/demo-game,
# from scripts/demo_game.c, made by `make build-all`).  Idempotent: an
# existing demo is left as it is.
#
# usage: scripts/demo.sh          (uses DATABASE_URL)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

say() { printf 'demo: %s\n' "$*" >&2; }

if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(scripts/pg.sh url)
fi
PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export PGOPTIONS
sql() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

GAME_ID=00000000-0000-4000-8000-00000000d0e0

# Fixed development passwords (Argon2id hashes made with crypto_pwhash_str).
sql <<'SQL'
INSERT INTO users (id, username, password_hash, display_name) VALUES
 ('demo-alice', 'alice', '$argon2id$v=19$m=65536,t=2,p=1$JhqmLHwaizWoVfcITngu2g$ajOaObYqFbUYVGx+eZlzMsQwSU0EoJrGJ4o489nQwRU', 'Alice'),
 ('demo-bob', 'bob', '$argon2id$v=19$m=65536,t=2,p=1$HG24zJCMAw/vMNT06oiQHg$Kc0LaLGsTS/5whMUZx/lEE3h/ssIa5l32ercwy1c+5Q', 'Bob')
ON CONFLICT DO NOTHING;

-- A deterministic starter roster: per position the first card, then five
-- more position players and nine pitchers (offset per team).
WITH t AS (
	INSERT INTO teams (owner_user_id, abbrev, name) VALUES
	 ('demo-alice', 'ACE', 'Alice Aces'), ('demo-bob', 'BOB', 'Bob Bombers')
	ON CONFLICT (owner_user_id, abbrev) DO NOTHING
	RETURNING id, owner_user_id
), k AS (
	SELECT id, CASE owner_user_id WHEN 'demo-alice' THEN 0 ELSE 1 END AS k FROM t
), pick AS (
	SELECT k.id AS team_id, c.id AS card_id, c.position, c.is_pitcher,
	       row_number() OVER (PARTITION BY k.id, c.position ORDER BY c.id) AS n, k.k
	FROM k CROSS JOIN cards c
), chosen AS (
	SELECT team_id, card_id,
	       row_number() OVER (PARTITION BY team_id ORDER BY
	           CASE WHEN is_pitcher THEN 3 WHEN n = 1 + k THEN 1 ELSE 2 END,
	           array_position(ARRAY['C','SS','2B','CF','3B','1B','LF','RF'], position),
	           card_id) AS slot,
	       CASE WHEN is_pitcher THEN n BETWEEN 1 + 9 * k AND 9 + 9 * k
	            ELSE n = 1 + k OR (n = 3 + k AND position IN ('C','SS','CF','1B','LF')) END AS keep
	FROM pick
)
INSERT INTO rosters (team_id, card_id, slot)
SELECT team_id, card_id, row_number() OVER (PARTITION BY team_id ORDER BY slot)
FROM chosen WHERE keep;
SQL

if [ "$(sql -tA -c "SELECT count(*) FROM games WHERE id = '$GAME_ID'")" = 1 ]; then
	say "the demo game is already there"
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	for who in alice bob; do
		sql -tA -c "SELECT json_build_object('team_id', t.id, 'roster', (SELECT json_agg(json_build_object('card_id', c.id, 'name', c.name, 'positions', c.positions, 'hand', CASE WHEN c.is_pitcher THEN c.throws ELSE c.bats END, 'is_pitcher', c.is_pitcher) ORDER BY r.slot) FROM rosters r JOIN cards c ON c.id = r.card_id WHERE r.team_id = t.id)) FROM teams t WHERE t.owner_user_id = 'demo-$who' AND t.abbrev IN ('ACE','BOB')" > "$tmp/$who.json"
	done
	if [ ! -x build/demo-game ]; then
		say "build/demo-game is missing (make build-all makes it); no demo game"
	else
		build/demo-game "$GAME_ID" "$tmp/alice.json" "$tmp/bob.json" demo-alice 8 > "$tmp/game.json"
		sql -v doc="$(cat "$tmp/game.json")" -v gid="$GAME_ID" <<'SQL'
WITH d AS (SELECT :'doc'::jsonb AS j),
g AS (
	INSERT INTO games (id, away_team_id, home_team_id, admin_user_id, status, seq, version, snapshot)
	SELECT :'gid'::uuid, (SELECT id FROM teams WHERE owner_user_id = 'demo-alice' AND abbrev = 'ACE'),
	       (SELECT id FROM teams WHERE owner_user_id = 'demo-bob' AND abbrev = 'BOB'),
	       'demo-alice', j->>'status', (j->>'seq')::bigint, 1, j->>'snapshot' FROM d
	RETURNING id),
lu AS (
	INSERT INTO lineup_entries (game_id, lineup_id, team_id, card_id, position, batting_order, is_starter, status)
	SELECT g.id, (y->>'lineup_id')::int, (y->>'team_id')::int, (y->>'card_id')::int, y->>'position',
	       (y->>'batting_order')::int, (y->>'is_starter')::boolean, y->>'status'
	FROM g, d, jsonb_array_elements(d.j->'lineup') y RETURNING 1),
ro AS (
	INSERT INTO rolls (roll_id, game_id, user_id, data)
	SELECT r->>'roll_id', g.id, CASE WHEN (p->>'side')::int = 0 THEN 'demo-alice' ELSE 'demo-bob' END, r
	FROM g, d, jsonb_array_elements(d.j->'rolls') WITH ORDINALITY AS a(r, i)
	JOIN jsonb_array_elements(d.j->'plays') WITH ORDINALITY AS b(p, k) ON a.i = b.k
	RETURNING roll_id),
ev AS (
	INSERT INTO game_events (game_id, seq, event, data)
	SELECT g.id, (e->>'seq')::bigint, e->>'event', e->'data' FROM g, d, jsonb_array_elements(d.j->'events') e
	RETURNING 1)
SELECT (SELECT count(*) FROM lu), (SELECT count(*) FROM ro), (SELECT count(*) FROM ev);
SQL
		sql -v doc="$(cat "$tmp/game.json")" -v gid="$GAME_ID" <<'SQL'
INSERT INTO plays (game_id, play_number, roll_id, user_id, result)
SELECT :'gid'::uuid, (p->'result'->>'play_number')::int, p->'result'->>'roll_id',
       CASE WHEN (p->>'side')::int = 0 THEN 'demo-alice' ELSE 'demo-bob' END, p->'result'
FROM jsonb_array_elements((:'doc'::jsonb)->'plays') p;
SQL
		say "demo game $GAME_ID: Alice Aces at Bob Bombers, in progress"
	fi
fi

say "demo users (development passwords, shown here on purpose):"
say "  alice / dynasty-alice   (manages ACE, admin of the demo game)"
say "  bob   / dynasty-bob     (manages BOB)"
say "  POST /api/auth/login {\"username\":\"alice\",\"password\":\"dynasty-alice\"}"
