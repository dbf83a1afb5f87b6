/*
 * ev_read: the read-only events: get_lineup, get_box_score and
 * request_game_state (the reconnect path, with missed_events).
 *
 * Reads run as jobs too, so that what they show is the committed state
 * in order with the game's changes.
 */
#include <kore/kore.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/ev_common.h"
#include "util/jsonutil.h"

#define RECENT_PLAYS	10

struct sync_ctx {
	struct pd_buf	state;
	struct pd_buf	plays;
	int64_t		last_seq;
};

static void	job_lineup(struct pd_job *, struct pd_entry *);
static void	job_box_score(struct pd_job *, struct pd_entry *);
static void	job_sync(struct pd_job *, struct pd_entry *);
static void	sync_plays(void *, enum gs_result, const char *, size_t);
static void	sync_events(void *, enum gs_result, const char *, size_t);
static void	sync_fail(struct pd_job *);
static void	sync_reply(struct pd_job *, const char *, size_t);

void
ev_get_lineup(struct pd_req *req)
{
	static const char *const required[] = { "team_id", NULL };
	const char	*game_id;
	yajl_val	 team;

	if (ev_game_id(req, &game_id, required) == -1)
		return;
	team = json_get(req->data, "team_id");
	if (!YAJL_IS_INTEGER(team)) {
		pd_reply_error(req, "error", "INVALID_FORMAT",
		    "team_id must be an integer", "team_id");
		return;
	}
	pd_games_submit_verified(sio_socket_id(req->client->sock),
	    req->client->user_id, game_id, req->event, req->ack, pd_req_take_data(req),
	    job_lineup);
}

static void
job_lineup(struct pd_job *job, struct pd_entry *e)
{
	struct pd_buf	 obj, players;
	yajl_gen	 g;
	long long	 team_id;
	int		 side;

	team_id = YAJL_GET_INTEGER(json_get(job->data, "team_id"));
	if ((side = pd_game_side_of_team(e->g, team_id)) < 0) {
		pd_job_error(job, "INVALID_TEAM", "That team is not in this game",
		    "team_id");
		pd_games_finish(job);
		return;
	}
	pd_buf_init(&obj, 0);
	pd_buf_init(&players, 0);
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && pd_json_lineup_players(g, e->g,
	    side) == PD_OK, &players) == 0 &&
	    pd_buf_appends(&obj, "{}") == 0 &&
	    ev_obj_put_str(&obj, "game_id", e->id) == 0 &&
	    ev_obj_put_int(&obj, "team_id", team_id) == 0 &&
	    ev_obj_put_raw(&obj, "players", (const char *)players.data,
	    players.len) == 0)
		ev_job_reply(job, "lineup_data", (const char *)obj.data,
		    obj.len);
	else
		pd_job_error(job, "INTERNAL_ERROR", "Could not build lineup",
		    NULL);
	pd_buf_free(&obj);
	pd_buf_free(&players);
	pd_games_finish(job);
}

void
ev_get_box_score(struct pd_req *req)
{
	const char	*game_id;

	if (ev_game_id(req, &game_id, NULL) == -1)
		return;
	pd_games_submit_verified(sio_socket_id(req->client->sock),
	    req->client->user_id, game_id, req->event, req->ack, pd_req_take_data(req),
	    job_box_score);
}

static void
job_box_score(struct pd_job *job, struct pd_entry *e)
{
	struct pd_buf	 obj, box;
	yajl_gen	 g;

	pd_buf_init(&obj, 0);
	pd_buf_init(&box, 0);
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && pd_json_box_score(g, e->g) == PD_OK,
	    &box) == 0 && pd_buf_appends(&obj, "{}") == 0 &&
	    ev_obj_put_str(&obj, "game_id", e->id) == 0 &&
	    ev_obj_put_raw(&obj, "box_score", (const char *)box.data,
	    box.len) == 0)
		ev_job_reply(job, "box_score_data", (const char *)obj.data,
		    obj.len);
	else
		pd_job_error(job, "INTERNAL_ERROR", "Could not build box score",
		    NULL);
	pd_buf_free(&obj);
	pd_buf_free(&box);
	pd_games_finish(job);
}

void
ev_request_game_state(struct pd_req *req)
{
	const char	*game_id;
	yajl_val	 last;

	if (ev_game_id(req, &game_id, NULL) == -1)
		return;
	last = json_get(req->data, "last_seq");
	if (last != NULL && !YAJL_IS_NULL(last) && (!YAJL_IS_INTEGER(last) ||
	    YAJL_GET_INTEGER(last) < 0)) {
		pd_reply_error(req, "error", "INVALID_FORMAT",
		    "last_seq must be a non-negative integer", "last_seq");
		return;
	}
	pd_games_submit_verified(sio_socket_id(req->client->sock),
	    req->client->user_id, game_id, req->event, req->ack, pd_req_take_data(req),
	    job_sync);
}

static void
job_sync(struct pd_job *job, struct pd_entry *e)
{
	struct sync_ctx	*ctx;
	yajl_val	 last;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
		pd_job_error(job, "INTERNAL_ERROR", "Server out of memory",
		    NULL);
		pd_games_finish(job);
		return;
	}
	pd_buf_init(&ctx->state, 0);
	pd_buf_init(&ctx->plays, 0);
	last = json_get(job->data, "last_seq");
	ctx->last_seq = (last != NULL && YAJL_IS_INTEGER(last)) ?
	    YAJL_GET_INTEGER(last) : -1;
	job->ctx = ctx;
	if (ev_state_json(e->g, e->g->seq, &ctx->state) == -1 ||
	    gs_recent_plays(e->id, RECENT_PLAYS, sync_plays, job) == -1)
		sync_fail(job);
}

static void
sync_plays(void *arg, enum gs_result rc, const char *json, size_t len)
{
	struct pd_job	*job = arg;
	struct sync_ctx	*ctx = job->ctx;

	if (rc != GS_OK || pd_buf_append(&ctx->plays, json, len) == -1) {
		sync_fail(job);
		return;
	}
	if (ctx->last_seq < 0) {
		sync_reply(job, "[]", 2);
		return;
	}
	if (gs_events_since(job->game_id, ctx->last_seq, sync_events, job) ==
	    -1)
		sync_fail(job);
}

static void
sync_events(void *arg, enum gs_result rc, const char *json, size_t len)
{
	struct pd_job	*job = arg;

	if (rc != GS_OK) {
		sync_fail(job);
		return;
	}
	sync_reply(job, json, len);
}

static void
sync_ctx_free(struct pd_job *job)
{
	struct sync_ctx	*ctx = job->ctx;

	pd_buf_free(&ctx->state);
	pd_buf_free(&ctx->plays);
	free(ctx);
	job->ctx = NULL;
}

static void
sync_fail(struct pd_job *job)
{
	pd_job_error(job, "INTERNAL_ERROR", "Could not read the game - try again",
	    NULL);
	sync_ctx_free(job);
	pd_games_finish(job);
}

static void
sync_reply(struct pd_job *job, const char *missed, size_t len)
{
	struct sync_ctx	*ctx = job->ctx;
	struct pd_buf	 obj;
	char		 ts[32];
	struct tm	 tm;
	time_t		 now;

	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pd_buf_init(&obj, 0);
	if (pd_buf_appends(&obj, "{}") == 0 &&
	    ev_obj_put_raw(&obj, "state", (const char *)ctx->state.data,
	    ctx->state.len) == 0 &&
	    ev_obj_put_raw(&obj, "recent_plays", (const char *)ctx->plays.data,
	    ctx->plays.len) == 0 &&
	    ev_obj_put_raw(&obj, "missed_events", missed, len) == 0 &&
	    ev_obj_put_str(&obj, "timestamp", ts) == 0)
		ev_job_reply(job, "game_state_sync", (const char *)obj.data,
		    obj.len);
	else
		pd_job_error(job, "INTERNAL_ERROR", "Could not build state",
		    NULL);
	pd_buf_free(&obj);
	sync_ctx_free(job);
	pd_games_finish(job);
}
