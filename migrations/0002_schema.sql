-- The game server's tables (docs/schema.md).  Users come from JWT subs or
-- from REST registration; teams own rosters of cards from the shared pool;
-- a game is one row with its engine snapshot, plus append-only action and
-- event tables written in the same statement as the row's version bump.

CREATE TABLE users (
	id            text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
	username      text UNIQUE CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
	password_hash text CHECK (password_hash LIKE '$argon2id$%'),
	display_name  text CHECK (length(display_name) <= 128),
	created_at    timestamptz NOT NULL DEFAULT now(),
	-- A registered account has both; a user known only by JWT has neither.
	CHECK ((username IS NULL) = (password_hash IS NULL))
);

CREATE TABLE cards (
	id         serial PRIMARY KEY,
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 63),
	position   text NOT NULL
	           CHECK (position IN ('P','C','1B','2B','3B','SS','LF','CF','RF')),
	positions  text[] NOT NULL
	           CHECK (positions <@ ARRAY['P','C','1B','2B','3B','SS','LF','CF','RF','DH']::text[]),
	bats       text NOT NULL CHECK (bats IN ('L','R','S')),
	throws     text NOT NULL CHECK (throws IN ('L','R')),
	is_pitcher boolean NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (position = ANY (positions)),
	CHECK (is_pitcher = (position = 'P')),
	UNIQUE (name)
);

CREATE TABLE teams (
	id            serial PRIMARY KEY,
	owner_user_id text NOT NULL REFERENCES users (id),
	abbrev        text NOT NULL CHECK (abbrev ~ '^[A-Z0-9]{2,5}$'),
	name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	created_at    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (owner_user_id, abbrev)
);
CREATE INDEX teams_owner_idx ON teams (owner_user_id);

-- slot: the roster's order, which the engine's default lineup follows.
CREATE TABLE rosters (
	team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	card_id integer NOT NULL REFERENCES cards (id),
	slot    integer NOT NULL CHECK (slot BETWEEN 1 AND 40),
	PRIMARY KEY (team_id, card_id),
	UNIQUE (team_id, slot)
);

CREATE TABLE games (
	id            uuid PRIMARY KEY,
	away_team_id  integer NOT NULL REFERENCES teams (id),
	home_team_id  integer NOT NULL REFERENCES teams (id),
	admin_user_id text NOT NULL REFERENCES users (id),
	status        text NOT NULL DEFAULT 'pending'
	              CHECK (status IN ('pending','in_progress','final')),
	seq           bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
	version       bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
	snapshot      text NOT NULL,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	-- Read from the snapshot, so lists need not parse it and can never
	-- disagree with it.
	score_away    integer GENERATED ALWAYS AS
	              (((snapshot::jsonb) -> 'score' ->> 0)::integer) STORED,
	score_home    integer GENERATED ALWAYS AS
	              (((snapshot::jsonb) -> 'score' ->> 1)::integer) STORED,
	inning        integer GENERATED ALWAYS AS
	              (((snapshot::jsonb) ->> 'inning')::integer) STORED,
	half          integer GENERATED ALWAYS AS
	              (((snapshot::jsonb) ->> 'half')::integer) STORED,
	CHECK (away_team_id <> home_team_id),
	CHECK (updated_at >= created_at)
);
CREATE INDEX games_away_idx ON games (away_team_id);
CREATE INDEX games_home_idx ON games (home_team_id);
CREATE INDEX games_admin_idx ON games (admin_user_id);
CREATE INDEX games_created_idx ON games (created_at DESC);

-- Every room event, data exactly as broadcast (its seq included).
CREATE TABLE game_events (
	game_id    uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	seq        bigint NOT NULL CHECK (seq > 0),
	event      text NOT NULL CHECK (length(event) BETWEEN 1 AND 64),
	data       jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (game_id, seq)
);

CREATE TABLE rolls (
	roll_id   text PRIMARY KEY CHECK (length(roll_id) BETWEEN 1 AND 64),
	game_id   uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	user_id   text NOT NULL REFERENCES users (id),
	data      jsonb NOT NULL,
	status    text NOT NULL DEFAULT 'pending'
	          CHECK (status IN ('pending','used','expired')),
	rolled_at timestamptz NOT NULL DEFAULT now(),
	-- At most one pending roll per game.  Deferred: one statement may
	-- expire the old roll and insert the new one in either order.
	EXCLUDE USING btree (game_id WITH =) WHERE (status = 'pending')
	    DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX rolls_game_idx ON rolls (game_id, rolled_at);

-- A resolved outcome; each roll resolves at most one of them.
CREATE TABLE plays (
	game_id     uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	play_number integer NOT NULL CHECK (play_number > 0),
	roll_id     text UNIQUE REFERENCES rolls (roll_id),
	user_id     text NOT NULL REFERENCES users (id),
	result      jsonb NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (game_id, play_number)
);

CREATE TABLE decisions (
	id         bigserial PRIMARY KEY,
	game_id    uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	user_id    text NOT NULL REFERENCES users (id),
	side       text NOT NULL CHECK (side IN ('defensive','offensive')),
	data       jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_game_idx ON decisions (game_id, id);

CREATE TABLE substitutions (
	id         bigserial PRIMARY KEY,
	game_id    uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	user_id    text NOT NULL REFERENCES users (id),
	type       text NOT NULL CHECK (type IN
	           ('pinch_hitter','defensive_replacement','pitching_change')),
	data       jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX substitutions_game_idx ON substitutions (game_id, id);

-- The game's roster entries as the engine numbered them.  A card can only
-- appear for a team whose roster holds it, once per game.
CREATE TABLE lineup_entries (
	game_id       uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	lineup_id     integer NOT NULL CHECK (lineup_id > 0),
	team_id       integer NOT NULL,
	card_id       integer NOT NULL,
	position      text CHECK (position IN
	              ('P','C','1B','2B','3B','SS','LF','CF','RF','DH')),
	batting_order integer CHECK (batting_order BETWEEN 1 AND 9),
	is_starter    boolean NOT NULL,
	status        text NOT NULL CHECK (status IN ('active','bench','removed')),
	PRIMARY KEY (game_id, lineup_id),
	UNIQUE (game_id, card_id, team_id),
	FOREIGN KEY (team_id, card_id) REFERENCES rosters (team_id, card_id),
	CHECK (status <> 'active' OR position IS NOT NULL),
	CHECK (status <> 'bench' OR (position IS NULL AND batting_order IS NULL
	       AND NOT is_starter)),
	-- One active player per batting slot; deferred because a substitution
	-- rewrites both rows in one statement.
	EXCLUDE USING btree (game_id WITH =, team_id WITH =,
	    batting_order WITH =)
	    WHERE (status = 'active' AND batting_order IS NOT NULL)
	    DEFERRABLE INITIALLY DEFERRED
);
