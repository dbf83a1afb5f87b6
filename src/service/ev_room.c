/*
 * ev_room: joining and leaving a game's room, and the room's presence
 * events (user_connected, user_left, user_disconnected).
 *
 * Presence events are room events like any other: they get a seq and go
 * into the event log, so a client that was away sees them in
 * missed_events.
 */
#include <kore/kore.h>

#include <string.h>

#include "app/metrics.h"
#include "service/ev_common.h"
#include "util/jsonutil.h"

static void	job_join(struct pd_job *, struct pd_entry *);
static void	join_done(struct pd_job *, struct pd_entry *, enum gs_result);
static void	job_leave(struct pd_job *, struct pd_entry *);
static void	leave_done(struct pd_job *, struct pd_entry *, enum gs_result);
static void	job_disconnected(struct pd_job *, struct pd_entry *);
static void	disconnected_done(struct pd_job *, struct pd_entry *,
		    enum gs_result);
static int	presence_event(struct pd_job *, struct pd_entry *,
		    const char *, const char *);

void
ev_join_game(struct pd_req *req)
{
	const char	*game_id, *role;
	yajl_val	 v;

	if (ev_game_id(req, &game_id, NULL) == -1)
		return;
	v = json_get(req->data, "role");
	role = (v != NULL && YAJL_IS_STRING(v)) ? YAJL_GET_STRING(v) : NULL;
	if (v != NULL && !YAJL_IS_NULL(v) && (role == NULL ||
	    (strcmp(role, "player") != 0 && strcmp(role, "spectator") != 0))) {
		pd_reply_error(req, "error", "INVALID_FORMAT",
		    "role must be \"player\" or \"spectator\"", "role");
		return;
	}
	pd_games_submit_verified(sio_socket_id(req->client->sock),
	    req->client->user_id, game_id, req->event, req->ack, pd_req_take_data(req),
	    job_join);
}

static const char *
job_role(const struct pd_job *job)
{
	const char	*role;

	role = json_string(job->data, "role");
	return (role != NULL && strcmp(role, "spectator") == 0 ?
	    "spectator" : "player");
}

static int
presence_event(struct pd_job *job, struct pd_entry *e, const char *name,
    const char *role)
{
	struct pd_buf	obj;
	int		rc;

	pd_buf_init(&obj, 0);
	rc = -1;
	if (pd_buf_appends(&obj, "{}") == 0 &&
	    ev_obj_put_str(&obj, "game_id", e->id) == 0 &&
	    ev_obj_put_str(&obj, "user_id", job->user_id) == 0 &&
	    (role == NULL || ev_obj_put_str(&obj, "role", role) == 0))
		rc = ev_event_add(job, name, &obj, pd_games_next_seq(e));
	pd_buf_free(&obj);
	return (rc);
}

static void
job_join(struct pd_job *job, struct pd_entry *e)
{
	const char	*role = job_role(job);

	if (strcmp(role, "player") == 0 && !ev_manages(e, job->user_id,
	    PD_AWAY) && !ev_manages(e, job->user_id, PD_HOME)) {
		pd_job_error(job, "NOT_AUTHORIZED",
		    "Only a manager of a team in this game may join as a player",
		    "role");
		pd_games_finish(job);
		return;
	}
	if (sio_socket_find(job->sock_id) == NULL) {
		pd_games_finish(job);
		return;
	}
	if (presence_event(job, e, "user_connected", role) == -1) {
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_games_commit(job, e, join_done);
}

static void
join_done(struct pd_job *job, struct pd_entry *e, enum gs_result rc)
{
	struct sio_socket	*sock;
	struct pd_buf		 obj, state;
	const char		*role = job_role(job);
	char			 room[64];
	enum pd_role		 r;

	if (rc != GS_OK) {
		ev_commit_failed(job, rc);
		return;
	}
	if ((sock = sio_socket_find(job->sock_id)) != NULL) {
		pd_room_game(room, sizeof(room), e->id);
		sio_join(sock, room);
		r = strcmp(role, "player") == 0 ? PD_ROLE_PLAYER :
		    PD_ROLE_SPECTATOR;
		if (pd_connmgr_role(pd_gateway_connmgr(), job->sock_id,
		    e->id) == PD_ROLE_NONE)
			pd_metrics_room(1);
		(void)pd_connmgr_join(pd_gateway_connmgr(), job->sock_id, e->id,
		    r);
	}

	pd_buf_init(&obj, 0);
	pd_buf_init(&state, 0);
	if (ev_state_json(e->g, e->g->seq, &state) == 0 &&
	    pd_buf_appends(&obj, "{}") == 0 &&
	    ev_obj_put_str(&obj, "game_id", e->id) == 0 &&
	    ev_obj_put_str(&obj, "role", role) == 0 &&
	    ev_obj_put_raw(&obj, "state", (const char *)state.data,
	    state.len) == 0)
		ev_job_reply(job, "game_joined", (const char *)obj.data,
		    obj.len);
	pd_buf_free(&obj);
	pd_buf_free(&state);
	ev_broadcast(job);
	pd_games_finish(job);
}

void
ev_leave_game(struct pd_req *req)
{
	const char	*game_id;

	if (ev_game_id(req, &game_id, NULL) == -1)
		return;
	pd_games_submit(sio_socket_id(req->client->sock), req->client->user_id,
	    game_id, req->event, req->ack, pd_req_take_data(req), job_leave);
}

static void
job_leave(struct pd_job *job, struct pd_entry *e)
{
	struct sio_socket	*sock;
	char			 room[64];

	pd_room_game(room, sizeof(room), e->id);
	if ((sock = sio_socket_find(job->sock_id)) != NULL) {
		sio_leave(sock, room);
		if (pd_connmgr_leave(pd_gateway_connmgr(), job->sock_id,
		    e->id) == 0)
			pd_metrics_room(-1);
	}
	if (presence_event(job, e, "user_left", NULL) == -1) {
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_games_commit(job, e, leave_done);
}

static void
leave_done(struct pd_job *job, struct pd_entry *e, enum gs_result rc)
{
	char	json[64];
	int	n;

	if (rc != GS_OK) {
		ev_commit_failed(job, rc);
		return;
	}
	n = snprintf(json, sizeof(json), "{\"game_id\":\"%s\"}", e->id);
	ev_job_reply(job, "game_left", json, (size_t)n);
	ev_broadcast(job);
	pd_games_finish(job);
}

/* The gateway saw a socket go that was in this game's room. */
void
pd_events_user_disconnected(const char *game_id, const char *user_id)
{
	pd_games_submit("", user_id, game_id, "disconnect", -1, NULL,
	    job_disconnected);
}

static void
job_disconnected(struct pd_job *job, struct pd_entry *e)
{
	if (presence_event(job, e, "user_disconnected", NULL) == -1) {
		pd_games_finish(job);
		return;
	}
	pd_games_commit(job, e, disconnected_done);
}

static void
disconnected_done(struct pd_job *job, struct pd_entry *e, enum gs_result rc)
{
	if (rc == GS_OK)
		ev_broadcast(job);
	pd_games_finish(job);
}
