-- pd_commit() in plain steps.  The single statement of 0005 had one
-- data-modifying CTE per kind of change, and PostgreSQL initialised and
-- ran all ten on every call, most of them for nothing; here only the
-- steps the change needs run, each with its own cached plan.  The
-- contract is the same: 1 when the game moved from p_version to the next
-- version with everything written, 0 (and nothing written) when another
-- writer came first.
--
-- The snapshot is compressed with lz4 where the server has it: pglz took
-- a tenth of PostgreSQL's time per play, lz4 almost nothing.

CREATE OR REPLACE FUNCTION pd_commit(p_game uuid, p_version bigint,
    p_seq bigint, p_snapshot text, p_status text, p_events jsonb,
    p_kind text, p_user text, p_action jsonb, p_lineup jsonb,
    p_expired_roll text)
RETURNS bigint LANGUAGE plpgsql AS $fn$
BEGIN
	UPDATE games SET version = version + 1, seq = p_seq,
	    snapshot = COALESCE(p_snapshot, snapshot),
	    status = COALESCE(p_status, status), updated_at = now()
	WHERE id = p_game AND version = p_version;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	INSERT INTO game_events (game_id, seq, event, data)
	SELECT p_game, (x->>'seq')::bigint, x->>'event', x->'data'
	FROM jsonb_array_elements(p_events) AS x;
	IF p_expired_roll IS NOT NULL THEN
		UPDATE rolls SET status = 'expired'
		WHERE roll_id = p_expired_roll AND status = 'pending';
	END IF;
	IF p_kind = 'roll' THEN
		INSERT INTO rolls (roll_id, game_id, user_id, data, status,
		    rolled_at)
		VALUES (p_action->>'roll_id', p_game, p_user, p_action,
		    'pending', now());
	ELSIF p_kind = 'play' THEN
		INSERT INTO plays (game_id, play_number, roll_id, user_id, result)
		VALUES (p_game, (p_action->>'play_number')::int,
		    p_action->>'roll_id', p_user, p_action);
		UPDATE rolls SET status = 'used'
		WHERE roll_id = p_action->>'roll_id';
	ELSIF p_kind = 'decision' THEN
		INSERT INTO decisions (game_id, user_id, side, data)
		VALUES (p_game, p_user, p_action->>'side', p_action->'decision');
	ELSIF p_kind = 'sub' THEN
		INSERT INTO substitutions (game_id, user_id, type, data)
		VALUES (p_game, p_user, p_action->>'type', p_action);
	END IF;
	IF jsonb_array_length(p_lineup) > 0 THEN
		INSERT INTO lineup_entries (game_id, lineup_id, team_id, card_id,
		    position, batting_order, is_starter, status)
		SELECT p_game, (y->>'lineup_id')::int, (y->>'team_id')::int,
		    (y->>'card_id')::int, y->>'position',
		    (y->>'batting_order')::int, (y->>'is_starter')::boolean,
		    y->>'status'
		FROM jsonb_array_elements(p_lineup) AS y
		ON CONFLICT (game_id, lineup_id) DO UPDATE SET
		    position = EXCLUDED.position,
		    batting_order = EXCLUDED.batting_order,
		    status = EXCLUDED.status;
	END IF;
	RETURN 1;
END
$fn$;

DO $$
BEGIN
	ALTER TABLE games ALTER COLUMN snapshot SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
	RAISE NOTICE 'lz4 is not available; the snapshot stays pglz';
END
$$;
