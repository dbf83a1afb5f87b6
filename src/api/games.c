/*
 * games: POST /api/games and the read routes of one game (CONTRACT 7).
 *
 * A game is created by the engine from the two teams' rosters and stored
 * with its snapshot, seq 0 and its lineup entries in one statement.  The
 * reads of the game's state, box score and lineup restore the snapshot
 * and print it with the engine's JSON (the same shapes as the socket
 * events); plays and the audit trail come from the action tables.  Any
 * authenticated user may read a game (spectators included); the audit is
 * for the game's admin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "engine/engine.h"
#include "util/jsonutil.h"

static const char	sql_teams[] =
    "SELECT t.id, t.owner_user_id, json_build_object('team_id', t.id, "
    "'roster', COALESCE((SELECT json_agg(json_build_object("
    "'card_id', c.id, 'name', c.name, 'positions', c.positions, "
    "'hand', CASE WHEN c.is_pitcher THEN c.throws ELSE c.bats END, "
    "'is_pitcher', c.is_pitcher) ORDER BY r.slot) FROM rosters r "
    "JOIN cards c ON c.id = r.card_id WHERE r.team_id = t.id), '[]'))::text "
    "FROM teams t WHERE t.id IN ($1::int, $2::int)";

static const char	sql_insert[] =
    "WITH g AS (INSERT INTO games (id, away_team_id, home_team_id, "
    "admin_user_id, status, seq, version, snapshot) VALUES ($1::uuid, "
    "$2::int, $3::int, $4, $5, 0, 0, $6) RETURNING id), "
    "lu AS (INSERT INTO lineup_entries (game_id, lineup_id, team_id, "
    "card_id, position, batting_order, is_starter, status) "
    "SELECT g.id, (y->>'lineup_id')::int, (y->>'team_id')::int, "
    "(y->>'card_id')::int, y->>'position', (y->>'batting_order')::int, "
    "(y->>'is_starter')::boolean, y->>'status' "
    "FROM g, jsonb_array_elements($7::jsonb) AS y RETURNING 1) "
    "SELECT count(*) FROM lu";

static const char	sql_list[] =
    "SELECT COALESCE(json_agg(x ORDER BY x.created_at DESC), '[]')::text "
    "FROM (SELECT g.id AS game_id, g.status, g.seq, "
    "(s.j->>'inning')::int AS inning, "
    "CASE s.j->>'half' WHEN '0' THEN 'top' ELSE 'bottom' END AS half, "
    "json_build_object('away', (s.j->'score'->>0)::int, "
    "'home', (s.j->'score'->>1)::int) AS score, "
    "g.away_team_id, g.home_team_id, "
    "json_build_object('team_id', a.id, 'abbrev', a.abbrev, 'name', a.name, "
    "'owner_user_id', a.owner_user_id) AS away_team, "
    "json_build_object('team_id', h.id, 'abbrev', h.abbrev, 'name', h.name, "
    "'owner_user_id', h.owner_user_id) AS home_team, "
    "g.admin_user_id, g.created_at, g.updated_at "
    "FROM games g CROSS JOIN LATERAL (SELECT g.snapshot::jsonb AS j) s "
    "JOIN teams a ON a.id = g.away_team_id "
    "JOIN teams h ON h.id = g.home_team_id "
    "WHERE ($2 = 'all' OR g.admin_user_id = $1 OR a.owner_user_id = $1 "
    "OR h.owner_user_id = $1) AND ($3 = '' OR g.status = $3) "
    "ORDER BY g.created_at DESC LIMIT 200) x";

static const char	sql_snapshot[] =
    "SELECT snapshot, seq, status FROM games WHERE id = $1::uuid";

static const char	sql_plays[] =
    "SELECT (SELECT count(*) FROM games WHERE id = $1::uuid), "
    "COALESCE((SELECT json_agg(result ORDER BY play_number) FROM plays "
    "WHERE game_id = $1::uuid), '[]')::text";

/* Every action with its user and time, oldest first. */
static const char	sql_audit[] =
    "SELECT g.admin_user_id, COALESCE((SELECT json_agg(json_build_object("
    "'type', e.type, 'user_id', e.user_id, 'at', e.at, 'ref', e.ref, "
    "'status', e.status, 'data', e.data) ORDER BY e.at, e.ko, e.n) FROM ("
    "SELECT 'roll' AS type, r.user_id, r.rolled_at AS at, r.roll_id AS ref, "
    "r.status, r.data, 1 AS ko, 0::bigint AS n FROM roll_history r "
    "WHERE r.game_id = g.id "
    "UNION ALL SELECT 'decision', d.user_id, d.created_at, d.side, NULL, "
    "d.data, 0, d.id FROM decisions d WHERE d.game_id = g.id "
    "UNION ALL SELECT 'submission', p.user_id, p.created_at, p.roll_id, "
    "NULL, p.result, 2, p.play_number FROM plays p WHERE p.game_id = g.id "
    "UNION ALL SELECT 'substitution', s.user_id, s.created_at, s.type, "
    "NULL, s.data, 3, s.id FROM substitutions s WHERE s.game_id = g.id "
    "UNION ALL SELECT 'refused', f.user_id, f.created_at, f.event, "
    "f.code, f.payload, 4, f.id FROM refusals f WHERE f.game_id = g.id"
    ") e), '[]')::text FROM games g WHERE g.id = $1::uuid";

enum view {
	VIEW_STATE,
	VIEW_BOX,
	VIEW_LINEUP
};

static void	teams_loaded(struct api_ctx *, const struct pd_db_result *);
static void	inserted(struct api_ctx *, const struct pd_db_result *);
static void	listed(struct api_ctx *, const struct pd_db_result *);
static void	snapshot_loaded(struct api_ctx *, const struct pd_db_result *);
static void	plays_loaded(struct api_ctx *, const struct pd_db_result *);
static void	audit_loaded(struct api_ctx *, const struct pd_db_result *);
static int	game_id_arg(struct api_ctx *);
static void	game_query(struct api_ctx *, const char *, api_step);
static int	lineup_json(struct pd_buf *, const struct pd_game *);
static void	not_found(struct api_ctx *);

static void
not_found(struct api_ctx *ctx)
{
	api_error(ctx, HTTP_STATUS_NOT_FOUND, "GAME_NOT_FOUND",
	    "No game %s", ctx->id);
}

void
api_games_create(struct api_ctx *ctx)
{
	const char	*p[2];
	char		 a[24], h[24];

	if (api_body_int(ctx, "away_team_id", &ctx->n1) != 0 ||
	    api_body_int(ctx, "home_team_id", &ctx->n2) != 0)
		return;
	if (ctx->n1 == ctx->n2) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "away_team_id and home_team_id must differ");
		return;
	}
	(void)snprintf(a, sizeof(a), "%lld", (long long)ctx->n1);
	(void)snprintf(h, sizeof(h), "%lld", (long long)ctx->n2);
	p[0] = a;
	p[1] = h;
	api_query(ctx, sql_teams, 2, p, teams_loaded);
}

static int
parse_roster(const char *text, struct pd_roster *r, struct pd_error *err)
{
	yajl_val	v;
	char		ebuf[64];
	int		rc;

	if ((v = json_parse(text, strlen(text), ebuf, sizeof(ebuf))) == NULL)
		return (PD_ERR);
	rc = pd_json_parse_roster(v, r, err);
	yajl_tree_free(v);
	return (rc);
}

static void
teams_loaded(struct api_ctx *ctx, const struct pd_db_result *r)
{
	struct pd_roster	*ro[2];
	struct pd_game		*g;
	struct pd_error		 err;
	const char		*rows[2], *owners[2], *p[7];
	char			 gid[37], a[24], h[24], *snap, *state;
	size_t			 len;
	int			 i, side;

	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	rows[0] = rows[1] = NULL;
	owners[0] = owners[1] = "";
	for (i = 0; i < r->ntuples; i++) {
		side = (strtoll(pd_db_value(r, i, 0), NULL, 10) == ctx->n1) ?
		    PD_AWAY : PD_HOME;
		rows[side] = pd_db_value(r, i, 2);
		owners[side] = pd_db_value(r, i, 1);
	}
	for (side = 0; side < 2; side++) {
		if (rows[side] == NULL) {
			api_error(ctx, HTTP_STATUS_NOT_FOUND, "TEAM_NOT_FOUND",
			    "No team %lld", (long long)(side == PD_AWAY ?
			    ctx->n1 : ctx->n2));
			return;
		}
	}
	if (strcmp(owners[0], ctx->user_id) != 0 &&
	    strcmp(owners[1], ctx->user_id) != 0) {
		api_error(ctx, HTTP_STATUS_FORBIDDEN, "NOT_AUTHORIZED",
		    "You must own the away or the home team");
		return;
	}

	ro[0] = calloc(1, sizeof(struct pd_roster));
	ro[1] = calloc(1, sizeof(struct pd_roster));
	g = calloc(1, sizeof(*g));
	snap = state = NULL;
	if (ro[0] == NULL || ro[1] == NULL || g == NULL)
		goto oom;
	memset(&err, 0, sizeof(err));
	api_uuid4(gid);
	if (parse_roster(rows[0], ro[0], &err) == PD_ERR ||
	    parse_roster(rows[1], ro[1], &err) == PD_ERR ||
	    pd_game_create(g, gid, ro[0], ro[1], &err) == PD_ERR) {
		api_error(ctx, HTTP_STATUS_CONFLICT, "INVALID_ROSTER",
		    "A team's roster cannot play: %s", err.message);
		goto done;
	}
	g->seq = 0;
	if ((snap = pd_snapshot_str(g, &len)) == NULL ||
	    (state = pd_json_state_str(g, &len)) == NULL)
		goto oom;
	pd_buf_reset(&ctx->tmp);
	if (pd_buf_appends(&ctx->tmp, "{\"game_id\":\"") == -1 ||
	    pd_buf_appends(&ctx->tmp, gid) == -1 ||
	    pd_buf_appends(&ctx->tmp, "\",\"state\":") == -1 ||
	    pd_buf_append(&ctx->tmp, state, len) == -1 ||
	    pd_buf_appendc(&ctx->tmp, '}') == -1)
		goto oom;

	/* The lineup goes in as a parameter of the same statement. */
	{
		struct pd_buf	lu;

		pd_buf_init(&lu, 0);
		if (lineup_json(&lu, g) == -1) {
			pd_buf_free(&lu);
			goto oom;
		}
		(void)snprintf(a, sizeof(a), "%lld", (long long)ctx->n1);
		(void)snprintf(h, sizeof(h), "%lld", (long long)ctx->n2);
		(void)snprintf(ctx->id, sizeof(ctx->id), "%s", gid);
		p[0] = gid;
		p[1] = a;
		p[2] = h;
		p[3] = ctx->user_id;
		p[4] = pd_status_name(g->status);
		p[5] = snap;
		p[6] = pd_buf_cstr(&lu);
		api_query(ctx, sql_insert, 7, p, inserted);
		pd_buf_free(&lu);
	}
	goto done;
oom:
	api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
	    "Out of memory");
done:
	free(snap);
	free(state);
	free(g);
	free(ro[0]);
	free(ro[1]);
}

/* The lineup_entries rows: the shape the game service writes too. */
static int
lineup_json(struct pd_buf *b, const struct pd_game *g)
{
	static const char		*st[] = { "bench", "active", "removed" };
	const struct pd_team		*t;
	const struct pd_lineup_entry	*e;
	const char			*pos;
	int				 s, i, first = 1;

	if (pd_buf_appendc(b, '[') == -1)
		return (-1);
	for (s = 0; s < 2; s++) {
		t = &g->team[s];
		for (i = 0; i < t->roster.ncards; i++) {
			e = &t->lu[i];
			pos = pd_pos_name(e->position);
			if (pd_buf_appendf(b, "%s{\"lineup_id\":%d,"
			    "\"team_id\":%lld,\"card_id\":%lld,\"position\":",
			    first ? "" : ",", e->lineup_id,
			    (long long)t->roster.team_id,
			    (long long)t->roster.cards[i].card_id) == -1)
				return (-1);
			if (pos != NULL ? pd_buf_appendf(b, "\"%s\"", pos) :
			    pd_buf_appends(b, "null"))
				return (-1);
			if ((e->batting_order > 0 ? pd_buf_appendf(b,
			    ",\"batting_order\":%d", e->batting_order) :
			    pd_buf_appends(b, ",\"batting_order\":null")) == -1 ||
			    pd_buf_appendf(b, ",\"is_starter\":%s,"
			    "\"status\":\"%s\"}", e->is_starter ? "true" :
			    "false", st[e->status]) == -1)
				return (-1);
			first = 0;
		}
	}
	return (pd_buf_appendc(b, ']'));
}

static void
inserted(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	api_json_buf(ctx, HTTP_STATUS_CREATED, &ctx->tmp);
}

/*
 * ?all=1: every game (to spectate); default: the caller's games (admin
 * or manager).  ?status= filters.
 */
void
api_games_list(struct api_ctx *ctx)
{
	char		 all[8], status[16];
	const char	*p[3];

	if (api_query_arg(ctx, "all", all, sizeof(all)) == -1)
		all[0] = '\0';
	if (api_query_arg(ctx, "status", status, sizeof(status)) == -1)
		status[0] = '\0';
	if (status[0] != '\0' && strcmp(status, "pending") != 0 &&
	    strcmp(status, "in_progress") != 0 &&
	    strcmp(status, "final") != 0) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "status must be pending, in_progress or final");
		return;
	}
	p[0] = ctx->user_id;
	p[1] = (strcmp(all, "1") == 0 || strcmp(all, "true") == 0) ?
	    "all" : "mine";
	p[2] = status;
	api_query(ctx, sql_list, 3, p, listed);
}

static void
listed(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	api_reply_wrapped(ctx, NULL, "games", pd_db_value(r, 0, 0),
	    (size_t)pd_db_length(r, 0, 0));
}

static int
game_id_arg(struct api_ctx *ctx)
{
	if (!api_is_uuid(ctx->id)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "game_id must be a UUID");
		return (-1);
	}
	return (0);
}

/* The statement with the (checked) game id as its one parameter. */
static void
game_query(struct api_ctx *ctx, const char *sql, api_step cb)
{
	const char	*p[1];

	p[0] = ctx->id;
	api_query(ctx, sql, 1, p, cb);
}

static void
load_view(struct api_ctx *ctx, int view)
{
	ctx->flag = view;
	game_query(ctx, sql_snapshot, snapshot_loaded);
}

void
api_games_get(struct api_ctx *ctx)
{
	if (game_id_arg(ctx) == 0)
		load_view(ctx, VIEW_STATE);
}

void
api_games_box_score(struct api_ctx *ctx)
{
	if (game_id_arg(ctx) == 0)
		load_view(ctx, VIEW_BOX);
}

void
api_games_lineup(struct api_ctx *ctx)
{
	char	 v[24], *end;

	if (game_id_arg(ctx) == -1)
		return;
	if (api_query_arg(ctx, "team_id", v, sizeof(v)) == -1 ||
	    v[0] == '\0') {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "MISSING_FIELD",
		    "Missing query argument: team_id");
		return;
	}
	ctx->n1 = strtoll(v, &end, 10);
	if (*end != '\0' || v[0] < '0' || v[0] > '9' || ctx->n1 <= 0 ||
	    ctx->n1 > 2147483647) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "team_id must be a positive integer");
		return;
	}
	load_view(ctx, VIEW_LINEUP);
}

static void
snapshot_loaded(struct api_ctx *ctx, const struct pd_db_result *r)
{
	struct pd_game	*g;
	struct pd_error	 err;
	yajl_gen	 gen;
	const unsigned char *buf;
	size_t		 len;
	int		 side, ok;

	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0) {
		not_found(ctx);
		return;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Out of memory");
		return;
	}
	memset(&err, 0, sizeof(err));
	if (pd_snapshot_read(g, pd_db_value(r, 0, 0), &err) == PD_ERR) {
		free(g);
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "The stored game cannot be read: %s", err.message);
		return;
	}
	g->seq = strtoll(pd_db_value(r, 0, 1), NULL, 10);
	side = 0;
	if (ctx->flag == VIEW_LINEUP &&
	    (side = pd_game_side_of_team(g, ctx->n1)) < 0) {
		free(g);
		api_error(ctx, HTTP_STATUS_NOT_FOUND, "TEAM_NOT_FOUND",
		    "Team %lld is not in this game", (long long)ctx->n1);
		return;
	}
	if ((gen = yajl_gen_alloc(NULL)) == NULL) {
		free(g);
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Out of memory");
		return;
	}
	switch (ctx->flag) {
	case VIEW_STATE:
		ok = pd_json_state(gen, g) == PD_OK;
		break;
	case VIEW_BOX:
		ok = yajl_gen_map_open(gen) == yajl_gen_status_ok &&
		    json_gen_kv_str(gen, "game_id", ctx->id) == 0 &&
		    json_gen_kv_str(gen, "status",
		    pd_status_name(g->status)) == 0 &&
		    json_gen_str(gen, "box_score") == 0 &&
		    pd_json_box_score(gen, g) == PD_OK &&
		    yajl_gen_map_close(gen) == yajl_gen_status_ok;
		break;
	default:
		ok = yajl_gen_map_open(gen) == yajl_gen_status_ok &&
		    json_gen_kv_str(gen, "game_id", ctx->id) == 0 &&
		    json_gen_kv_int(gen, "team_id", ctx->n1) == 0 &&
		    json_gen_str(gen, "players") == 0 &&
		    pd_json_lineup_players(gen, g, side) == PD_OK &&
		    yajl_gen_map_close(gen) == yajl_gen_status_ok;
		break;
	}
	if (ok && yajl_gen_get_buf(gen, &buf, &len) == yajl_gen_status_ok)
		api_json(ctx, HTTP_STATUS_OK, (const char *)buf, len);
	else
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Could not write the game");
	yajl_gen_free(gen);
	free(g);
}

void
api_games_plays(struct api_ctx *ctx)
{
	if (game_id_arg(ctx) == 0)
		game_query(ctx, sql_plays, plays_loaded);
}

static void
plays_loaded(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (strcmp(pd_db_value(r, 0, 0), "0") == 0) {
		not_found(ctx);
		return;
	}
	api_reply_wrapped(ctx, ctx->id, "plays", pd_db_value(r, 0, 1),
	    (size_t)pd_db_length(r, 0, 1));
}

void
api_games_audit(struct api_ctx *ctx)
{
	if (game_id_arg(ctx) == 0)
		game_query(ctx, sql_audit, audit_loaded);
}

static void
audit_loaded(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0) {
		not_found(ctx);
		return;
	}
	if (strcmp(pd_db_value(r, 0, 0), ctx->user_id) != 0) {
		api_error(ctx, HTTP_STATUS_FORBIDDEN, "NOT_AUTHORIZED",
		    "Only the game's admin may read its audit trail");
		return;
	}
	api_reply_wrapped(ctx, ctx->id, "entries", pd_db_value(r, 0, 1),
	    (size_t)pd_db_length(r, 0, 1));
}
