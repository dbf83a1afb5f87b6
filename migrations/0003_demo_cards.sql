-- The demo card pool: 112 fictional players (64 position players, 8 for
-- each fielding position, and 48 pitchers), every name made up from two
-- lists.  Starter rosters (POST /api/teams) draw from this pool; a card may
-- be on many teams' rosters.  Deterministic, so every database gets the
-- same cards with the same ids.

WITH firsts AS (
	SELECT ARRAY['Abel','Boone','Cal','Dusty','Eli','Flint','Gus','Hank',
	    'Ike','Jasper','Kit','Lefty','Moe','Ned','Otis','Pip','Quincy',
	    'Rusty','Sully','Tad','Ulys','Vic','Wes','Xavi','Yancy','Zeke',
	    'Arlo','Bram','Cy','Dell','Emmett','Fritz','Grady','Hollis','Irv',
	    'Jeb','Knox','Lonnie','Mack','Nash'] AS a
), lasts AS (
	SELECT ARRAY['Abernathy','Bixby','Caldwell','Dunmore','Ellery',
	    'Fairweather','Gallo','Hargrove','Ingram','Jessup','Kettering',
	    'Lockhart','Marbury','Nettles','Ostrander','Pickering','Quarles',
	    'Rutledge','Stroud','Tillman','Underhill','Vance','Whitcomb',
	    'Yardley','Zabel','Ashby','Brannigan','Crowder','Dillard','Eckert',
	    'Fennimore','Goodnight','Halloway','Inkster','Jellicoe','Kimbrough',
	    'Larkspur','Mossberg','Nightingale','Oakes','Pettibone','Quill',
	    'Radcliffe','Sawtelle','Thistlewood','Upham','Vickery','Wexler',
	    'Yarrow','Zeller','Applegate','Birchfield','Coldwater','Dregs',
	    'Emberly','Foxworth','Greenleaf','Hightower','Ironwood','Juniper'] AS a
), pos AS (
	-- position, its secondary positions, whether it must throw right
	SELECT * FROM (VALUES
	    (0, 'C',  ARRAY['C','1B'],        true),
	    (1, '1B', ARRAY['1B','LF','RF'],  false),
	    (2, '2B', ARRAY['2B','SS','3B'],  true),
	    (3, '3B', ARRAY['3B','1B'],       true),
	    (4, 'SS', ARRAY['SS','2B','3B'],  true),
	    (5, 'LF', ARRAY['LF','RF','1B'],  false),
	    (6, 'CF', ARRAY['CF','LF','RF'],  false),
	    (7, 'RF', ARRAY['RF','LF'],       false)
	) AS v (k, position, more, right_only)
), n AS (
	SELECT i FROM generate_series(0, 111) AS i
)
INSERT INTO cards (name, position, positions, bats, throws, is_pitcher)
SELECT (SELECT a[1 + i % 40] FROM firsts) || ' ' ||
       (SELECT a[1 + i % 60] FROM lasts),
       CASE WHEN i < 64 THEN p.position ELSE 'P' END,
       CASE WHEN i >= 64 THEN ARRAY['P']
            WHEN i % 2 = 0 THEN p.more
            ELSE ARRAY[p.position] END,
       CASE i % 5 WHEN 3 THEN 'L' WHEN 4 THEN 'S' ELSE 'R' END,
       CASE WHEN i < 64 AND p.right_only THEN 'R'
            WHEN i % 3 = 0 THEN 'L' ELSE 'R' END,
       i >= 64
FROM n LEFT JOIN pos p ON i < 64 AND p.k = i % 8
ORDER BY i;
