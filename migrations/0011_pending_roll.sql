-- A game's pending roll moves into its row, and rolls becomes the history
-- of rolls, each written once.  What became of a roll (a play used it, it
-- is still its game's pending roll, or it expired unused) is read from
-- there by the view roll_history instead of kept up to date: marking a
-- roll used was not a HOT update (status was in the predicate of the
-- one-pending-roll constraint), so every play paid three index entries
-- and a constraint check for it.  At most one pending roll per game is
-- now the shape of the row.

ALTER TABLE games ADD COLUMN pending_roll jsonb
    CHECK (pending_roll IS NULL OR jsonb_typeof(pending_roll) = 'object');
UPDATE games g SET pending_roll = r.data
FROM rolls r WHERE r.game_id = g.id AND r.status = 'pending';

ALTER TABLE rolls DROP CONSTRAINT rolls_game_id_excl;
ALTER TABLE rolls DROP COLUMN status;

CREATE VIEW roll_history AS
SELECT r.roll_id, r.game_id, r.user_id, r.data, r.rolled_at,
    CASE WHEN EXISTS (SELECT 1 FROM plays p WHERE p.roll_id = r.roll_id)
        THEN 'used'
    WHEN g.pending_roll->>'roll_id' = r.roll_id THEN 'pending'
    ELSE 'expired' END AS status
FROM rolls r JOIN games g ON g.id = r.game_id;

DROP FUNCTION pd_commit_many(uuid[], bigint[], bigint[], text[], text[],
    text[], text[], jsonb[], jsonb[], text[], int[], bigint[], text[],
    json[]);

-- As in 0010, less the roll's status: a roll sets its game's pending
-- roll, a play clears it, and any other change leaves it.
CREATE FUNCTION pd_commit_many(p_game uuid[], p_version bigint[],
    p_seq bigint[], p_snapshot text[], p_status text[], p_kind text[],
    p_user text[], p_action jsonb[], p_lineup jsonb[],
    p_ev_change int[], p_ev_seq bigint[], p_ev_name text[],
    p_ev_data json[])
RETURNS SETOF integer LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
	done int[];
BEGIN
	PERFORM 1 FROM games WHERE id = ANY (p_game) ORDER BY id FOR UPDATE;
	WITH u AS (
		UPDATE games g SET version = g.version + 1, seq = x.seq,
		    snapshot = COALESCE(x.snapshot, g.snapshot),
		    status = COALESCE(x.status, g.status),
		    pending_roll = CASE p_kind[x.i]
			WHEN 'roll' THEN p_action[x.i]
			WHEN 'play' THEN NULL
			ELSE g.pending_roll END,
		    updated_at = now()
		FROM unnest(p_game, p_version, p_seq, p_snapshot, p_status)
		    WITH ORDINALITY AS x(id, version, seq, snapshot, status, i)
		WHERE g.id = x.id AND g.version = x.version
		RETURNING x.i::int AS i
	)
	SELECT array_agg(u.i) INTO done FROM u;
	IF done IS NULL THEN
		RETURN;
	END IF;

	IF cardinality(p_ev_change) > 0 THEN
		INSERT INTO game_events (game_id, seq, event, data)
		SELECT p_game[e.i], e.seq, e.name, e.data
		FROM unnest(p_ev_change, p_ev_seq, p_ev_name, p_ev_data)
		    AS e(i, seq, name, data)
		WHERE e.i = ANY (done);
	END IF;

	IF 'roll' = ANY (p_kind) THEN
		INSERT INTO rolls (roll_id, game_id, user_id, data, rolled_at)
		SELECT p_action[i]->>'roll_id', p_game[i], p_user[i],
		    p_action[i], now()
		FROM unnest(done) AS i WHERE p_kind[i] = 'roll';
	END IF;

	IF 'play' = ANY (p_kind) THEN
		INSERT INTO plays (game_id, play_number, roll_id, user_id,
		    result)
		SELECT p_game[i], (p_action[i]->>'play_number')::int,
		    p_action[i]->>'roll_id', p_user[i], p_action[i]
		FROM unnest(done) AS i WHERE p_kind[i] = 'play';
	END IF;

	IF 'decision' = ANY (p_kind) THEN
		INSERT INTO decisions (game_id, user_id, side, data)
		SELECT p_game[i], p_user[i], p_action[i]->>'side',
		    p_action[i]->'decision'
		FROM unnest(done) AS i WHERE p_kind[i] = 'decision';
	END IF;

	IF 'sub' = ANY (p_kind) THEN
		INSERT INTO substitutions (game_id, user_id, type, data)
		SELECT p_game[i], p_user[i], p_action[i]->>'type',
		    p_action[i]
		FROM unnest(done) AS i WHERE p_kind[i] = 'sub';
	END IF;

	IF cardinality(array_remove(p_lineup, NULL)) > 0 THEN
		INSERT INTO lineup_entries (game_id, lineup_id, team_id,
		    card_id, position, batting_order, is_starter, status)
		SELECT p_game[i], (y->>'lineup_id')::int,
		    (y->>'team_id')::int, (y->>'card_id')::int,
		    y->>'position', (y->>'batting_order')::int,
		    (y->>'is_starter')::boolean, y->>'status'
		FROM unnest(done) AS i, jsonb_array_elements(p_lineup[i]) AS y
		ON CONFLICT (game_id, lineup_id) DO UPDATE SET
		    position = EXCLUDED.position,
		    batting_order = EXCLUDED.batting_order,
		    status = EXCLUDED.status;
	END IF;

	RETURN QUERY SELECT unnest(done);
END
$fn$;
