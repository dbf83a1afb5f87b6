/*
 * teams: POST /api/teams, GET /api/teams, GET /api/teams/{id}.
 *
 * A new team gets a starter roster drawn from the card pool in the same
 * statement (CONTRACT 4): one player for each fielding position, five more
 * position players (13 in all) and nine pitchers, in the roster order the
 * engine's default lineup reads (docs/engine.md).  The JSON is built by
 * PostgreSQL; these functions validate, run one statement and pass it on.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

/* One card as every route shows it. */
#define CARD_JSON \
	"json_build_object('card_id', c.id, 'name', c.name, " \
	"'position', c.position, 'positions', c.positions, 'bats', c.bats, " \
	"'throws', c.throws, 'is_pitcher', c.is_pitcher, 'slot', r.slot)"

static const char	sql_create[] =
    "WITH t AS (INSERT INTO teams (owner_user_id, abbrev, name) "
    "VALUES ($1, $2, $3) ON CONFLICT (owner_user_id, abbrev) DO NOTHING "
    "RETURNING id, owner_user_id, abbrev, name, created_at), "
    "pos AS (SELECT DISTINCT ON (position) id, position FROM cards "
    "WHERE NOT is_pitcher ORDER BY position, random()), "
    "extra AS (SELECT id FROM cards WHERE NOT is_pitcher "
    "AND id NOT IN (SELECT id FROM pos) ORDER BY random() LIMIT 5), "
    "pit AS (SELECT id FROM cards WHERE is_pitcher ORDER BY random() "
    "LIMIT 9), "
    "pick AS (SELECT id, row_number() OVER (ORDER BY g, o, id) AS slot "
    "FROM (SELECT id, 1 AS g, array_position(ARRAY['C','SS','2B','CF',"
    "'3B','1B','LF','RF'], position) AS o FROM pos "
    "UNION ALL SELECT id, 2, 0 FROM extra "
    "UNION ALL SELECT id, 3, 0 FROM pit) x), "
    "r AS (INSERT INTO rosters (team_id, card_id, slot) "
    "SELECT t.id, pick.id, pick.slot FROM t, pick "
    "RETURNING card_id, slot) "
    "SELECT json_build_object('team_id', t.id, 'abbrev', t.abbrev, "
    "'name', t.name, 'owner_user_id', t.owner_user_id, "
    "'created_at', t.created_at, 'roster', (SELECT json_agg(" CARD_JSON
    " ORDER BY r.slot) FROM r JOIN cards c ON c.id = r.card_id))::text "
    "FROM t";

static const char	sql_list[] =
    "SELECT COALESCE(json_agg(json_build_object('team_id', t.id, "
    "'abbrev', t.abbrev, 'name', t.name, 'owner_user_id', t.owner_user_id, "
    "'owner_name', u.display_name, 'created_at', t.created_at) "
    "ORDER BY t.id), '[]')::text FROM (SELECT * FROM teams "
    "WHERE ($2 = 'all' OR owner_user_id = $1) "
    "AND ($3 = '' OR owner_user_id = $3) ORDER BY id DESC LIMIT 500) t "
    "JOIN users u ON u.id = t.owner_user_id";

static const char	sql_get[] =
    "SELECT json_build_object('team_id', t.id, 'abbrev', t.abbrev, "
    "'name', t.name, 'owner_user_id', t.owner_user_id, "
    "'created_at', t.created_at, 'roster', COALESCE((SELECT json_agg("
    CARD_JSON " ORDER BY r.slot) FROM rosters r JOIN cards c "
    "ON c.id = r.card_id WHERE r.team_id = t.id), '[]'))::text "
    "FROM teams t WHERE t.id = $1::int";

static void	created(struct api_ctx *, const struct pd_db_result *);
static void	one_json(struct api_ctx *, const struct pd_db_result *);
static void	listed(struct api_ctx *, const struct pd_db_result *);

void
api_teams_create(struct api_ctx *ctx)
{
	const char	*abbrev, *name, *p[3];
	char		 ab[8];
	size_t		 i, n;

	if (api_body_string(ctx, "abbrev", &abbrev) != 0 ||
	    api_body_string(ctx, "name", &name) != 0)
		return;
	n = strlen(abbrev);
	for (i = 0; i < n && i < sizeof(ab) - 1; i++) {
		if (!isalnum((unsigned char)abbrev[i]))
			break;
		ab[i] = (char)toupper((unsigned char)abbrev[i]);
	}
	if (n < 2 || n > 5 || i != n) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "abbrev must be 2-5 letters or digits");
		return;
	}
	ab[n] = '\0';
	n = strlen(name);
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20)
			break;
	if (n == 0 || n > 64 || i != n) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "name must be 1-64 printable characters");
		return;
	}
	(void)snprintf(ctx->username, sizeof(ctx->username), "%s", ab);
	p[0] = ctx->user_id;
	p[1] = ab;
	p[2] = name;
	api_query(ctx, sql_create, 3, p, created);
}

static void
created(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0) {
		api_error(ctx, HTTP_STATUS_CONFLICT, "TEAM_EXISTS",
		    "You already have a team with abbrev %s", ctx->username);
		return;
	}
	api_json(ctx, HTTP_STATUS_CREATED, pd_db_value(r, 0, 0),
	    (size_t)pd_db_length(r, 0, 0));
}

/*
 * ?all=1: every user's teams (to pick an opponent); ?owner=<user_id>: one
 * user's teams; default: the caller's.
 */
void
api_teams_list(struct api_ctx *ctx)
{
	char		 all[8], owner[JWT_SUB_MAX];
	const char	*p[3];

	if (api_query_arg(ctx, "all", all, sizeof(all)) == -1)
		all[0] = '\0';
	if (api_query_arg(ctx, "owner", owner, sizeof(owner)) == -1)
		owner[0] = '\0';
	p[0] = ctx->user_id;
	p[1] = (strcmp(all, "1") == 0 || strcmp(all, "true") == 0 ||
	    owner[0] != '\0') ? "all" : "mine";
	p[2] = owner;
	api_query(ctx, sql_list, 3, p, listed);
}

static void
listed(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	api_reply_wrapped(ctx, NULL, "teams", pd_db_value(r, 0, 0),
	    (size_t)pd_db_length(r, 0, 0));
}

/* A positive int id from the path, or a 400 sent. */
static int
path_int(struct api_ctx *ctx, const char *what)
{
	char		*end;
	long long	 n;

	n = strtoll(ctx->id, &end, 10);
	if (!isdigit((unsigned char)ctx->id[0]) || *end != '\0' || n <= 0 ||
	    n > 2147483647) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "%s must be a positive integer", what);
		return (-1);
	}
	ctx->n1 = n;
	return (0);
}

void
api_teams_get(struct api_ctx *ctx)
{
	const char	*p[1];

	if (path_int(ctx, "team_id") == -1)
		return;
	p[0] = ctx->id;
	api_query(ctx, sql_get, 1, p, one_json);
}

static void
one_json(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0) {
		api_error(ctx, HTTP_STATUS_NOT_FOUND, "TEAM_NOT_FOUND",
		    "No team %s", ctx->id);
		return;
	}
	api_json(ctx, HTTP_STATUS_OK, pd_db_value(r, 0, 0),
	    (size_t)pd_db_length(r, 0, 0));
}
