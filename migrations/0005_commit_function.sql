-- One change to a game as one statement (src/store/gamestore.c), in a
-- function so that PostgreSQL plans it once per connection instead of on
-- every play (planning the statement cost more than running it).
--
-- The games row moves from p_version to the next version, or nothing
-- happens because another writer came first (0 is returned).  Every
-- insert selects FROM g, so a stale writer writes nothing at all.
-- p_kind says which action row records the change: 'roll', 'decision',
-- 'play', 'sub', or '' (presence events).

CREATE FUNCTION pd_commit(p_game uuid, p_version bigint, p_seq bigint,
    p_snapshot text, p_status text, p_events jsonb, p_kind text,
    p_user text, p_action jsonb, p_lineup jsonb, p_expired_roll text)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
	n bigint;
BEGIN
	WITH g AS (
		UPDATE games SET version = version + 1, seq = p_seq,
		    snapshot = COALESCE(p_snapshot, snapshot),
		    status = COALESCE(p_status, status), updated_at = now()
		WHERE id = p_game AND version = p_version
		RETURNING id
	), ev AS (
		INSERT INTO game_events (game_id, seq, event, data)
		SELECT g.id, (x->>'seq')::bigint, x->>'event', x->'data'
		FROM g, jsonb_array_elements(p_events) AS x
		RETURNING 1
	), ro AS (
		INSERT INTO rolls (roll_id, game_id, user_id, data, status,
		    rolled_at)
		SELECT p_action->>'roll_id', g.id, p_user, p_action, 'pending',
		    now()
		FROM g WHERE p_kind = 'roll'
		RETURNING 1
	), rx AS (
		UPDATE rolls SET status = 'expired' FROM g
		WHERE rolls.roll_id = p_expired_roll AND rolls.status = 'pending'
		RETURNING 1
	), de AS (
		INSERT INTO decisions (game_id, user_id, side, data)
		SELECT g.id, p_user, p_action->>'side', p_action->'decision'
		FROM g WHERE p_kind = 'decision'
		RETURNING 1
	), pl AS (
		INSERT INTO plays (game_id, play_number, roll_id, user_id, result)
		SELECT g.id, (p_action->>'play_number')::int,
		    p_action->>'roll_id', p_user, p_action
		FROM g WHERE p_kind = 'play'
		RETURNING 1
	), ru AS (
		UPDATE rolls SET status = 'used' FROM g
		WHERE p_kind = 'play' AND rolls.roll_id = p_action->>'roll_id'
		RETURNING 1
	), su AS (
		INSERT INTO substitutions (game_id, user_id, type, data)
		SELECT g.id, p_user, p_action->>'type', p_action
		FROM g WHERE p_kind = 'sub'
		RETURNING 1
	), lu AS (
		INSERT INTO lineup_entries (game_id, lineup_id, team_id, card_id,
		    position, batting_order, is_starter, status)
		SELECT g.id, (y->>'lineup_id')::int, (y->>'team_id')::int,
		    (y->>'card_id')::int, y->>'position',
		    (y->>'batting_order')::int, (y->>'is_starter')::boolean,
		    y->>'status'
		FROM g, jsonb_array_elements(p_lineup) AS y
		ON CONFLICT (game_id, lineup_id) DO UPDATE SET
		    position = EXCLUDED.position,
		    batting_order = EXCLUDED.batting_order,
		    status = EXCLUDED.status
		RETURNING 1
	)
	SELECT count(*) INTO n FROM g;
	RETURN n;
END
$fn$;
