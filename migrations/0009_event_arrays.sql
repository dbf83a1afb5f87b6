-- The room events of a group commit as four arrays of their own (the
-- change each belongs to, its seq, its name, its data), and the event
-- log's data as json: PostgreSQL checks the text and stores it as it
-- came, where jsonb parsed every event into a tree first (jsonb_in was
-- 15% of PostgreSQL's time per play, most of it the events).  The log is
-- only ever read back whole, as the text that was broadcast.

ALTER TABLE game_events ALTER COLUMN data TYPE json USING data::json;

CREATE FUNCTION pd_commit_many(p_game uuid[], p_version bigint[],
    p_seq bigint[], p_snapshot text[], p_status text[], p_kind text[],
    p_user text[], p_action jsonb[], p_lineup jsonb[],
    p_expired_roll text[], p_ev_change int[], p_ev_seq bigint[],
    p_ev_name text[], p_ev_data json[])
RETURNS SETOF integer LANGUAGE plpgsql AS $fn$
DECLARE
	done int[];
BEGIN
	PERFORM 1 FROM games WHERE id = ANY (p_game) ORDER BY id FOR UPDATE;
	WITH u AS (
		UPDATE games g SET version = g.version + 1, seq = x.seq,
		    snapshot = COALESCE(x.snapshot, g.snapshot),
		    status = COALESCE(x.status, g.status), updated_at = now()
		FROM unnest(p_game, p_version, p_seq, p_snapshot, p_status)
		    WITH ORDINALITY AS x(id, version, seq, snapshot, status, i)
		WHERE g.id = x.id AND g.version = x.version
		RETURNING x.i::int AS i
	)
	SELECT array_agg(u.i) INTO done FROM u;
	IF done IS NULL THEN
		RETURN;
	END IF;

	INSERT INTO game_events (game_id, seq, event, data)
	SELECT p_game[e.i], e.seq, e.name, e.data
	FROM unnest(p_ev_change, p_ev_seq, p_ev_name, p_ev_data)
	    AS e(i, seq, name, data)
	WHERE e.i = ANY (done);

	UPDATE rolls SET status = 'expired'
	WHERE status = 'pending' AND roll_id IN (SELECT p_expired_roll[i]
	    FROM unnest(done) AS i WHERE p_expired_roll[i] IS NOT NULL);
	INSERT INTO rolls (roll_id, game_id, user_id, data, status, rolled_at)
	SELECT p_action[i]->>'roll_id', p_game[i], p_user[i], p_action[i],
	    'pending', now()
	FROM unnest(done) AS i WHERE p_kind[i] = 'roll';

	INSERT INTO plays (game_id, play_number, roll_id, user_id, result)
	SELECT p_game[i], (p_action[i]->>'play_number')::int,
	    p_action[i]->>'roll_id', p_user[i], p_action[i]
	FROM unnest(done) AS i WHERE p_kind[i] = 'play';
	UPDATE rolls SET status = 'used'
	WHERE roll_id IN (SELECT p_action[i]->>'roll_id'
	    FROM unnest(done) AS i WHERE p_kind[i] = 'play');

	INSERT INTO decisions (game_id, user_id, side, data)
	SELECT p_game[i], p_user[i], p_action[i]->>'side',
	    p_action[i]->'decision'
	FROM unnest(done) AS i WHERE p_kind[i] = 'decision';

	INSERT INTO substitutions (game_id, user_id, type, data)
	SELECT p_game[i], p_user[i], p_action[i]->>'type', p_action[i]
	FROM unnest(done) AS i WHERE p_kind[i] = 'sub';

	INSERT INTO lineup_entries (game_id, lineup_id, team_id, card_id,
	    position, batting_order, is_starter, status)
	SELECT p_game[i], (y->>'lineup_id')::int, (y->>'team_id')::int,
	    (y->>'card_id')::int, y->>'position',
	    (y->>'batting_order')::int, (y->>'is_starter')::boolean,
	    y->>'status'
	FROM unnest(done) AS i, jsonb_array_elements(p_lineup[i]) AS y
	ON CONFLICT (game_id, lineup_id) DO UPDATE SET
	    position = EXCLUDED.position,
	    batting_order = EXCLUDED.batting_order,
	    status = EXCLUDED.status;

	RETURN QUERY SELECT unnest(done);
END
$fn$;

DROP FUNCTION pd_commit_many(uuid[], bigint[], bigint[], text[], text[],
    jsonb[], text[], text[], jsonb[], jsonb[], text[]);
