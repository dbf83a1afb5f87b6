-- The score, inning and half of a game were generated columns read from
-- the snapshot: PostgreSQL then parsed the whole snapshot four times on
-- every update of the row, which is every play (most of the cost of a
-- commit).  Lists read them from the snapshot instead, once per listed
-- game, which is far rarer than a play.

ALTER TABLE games
	DROP COLUMN score_away,
	DROP COLUMN score_home,
	DROP COLUMN inning,
	DROP COLUMN half;
