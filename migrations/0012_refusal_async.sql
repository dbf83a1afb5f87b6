-- A refused action's audit row, written without waiting for the disk.
-- The refusal changed nothing and was answered before the row was
-- written, so no client waits on this commit; a crash may lose the last
-- fraction of a second of them, never a game's state.  A flood of
-- refused events (the abuse the rate limits answer) otherwise costs one
-- WAL flush each.
CREATE FUNCTION pd_refusal(p_game uuid, p_user text, p_event text,
    p_code text, p_payload jsonb)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
	-- Local to the statement's own transaction, and read at its commit.
	PERFORM set_config('synchronous_commit', 'off', true);
	INSERT INTO refusals (game_id, user_id, event, code, payload)
	VALUES (p_game, p_user, p_event, p_code, p_payload);
END
$fn$;
