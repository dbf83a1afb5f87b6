-- Refused actions, for the audit trail: a submission the server turned
-- down is part of the history of a game as much as one it accepted (a
-- manager trying outcome after outcome on the same roll shows here).
-- user_id has no foreign key: a user known only by a token may be
-- refused before any row exists for him.

CREATE TABLE refusals (
	id         bigserial PRIMARY KEY,
	game_id    uuid NOT NULL REFERENCES games (id) ON DELETE CASCADE,
	user_id    text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 128),
	event      text NOT NULL CHECK (length(event) BETWEEN 1 AND 64),
	code       text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
	payload    jsonb,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refusals_game_idx ON refusals (game_id, id);
