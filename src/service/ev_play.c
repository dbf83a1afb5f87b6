/*
 * ev_play: the plate appearance: both decisions, roll_dice and
 * submit_manual_outcome.
 *
 * Each handler checks the payload, queues a job on the game, and the job
 * authorizes, asks the engine on a copy of the state, and commits; the
 * room hears of it only once PostgreSQL has it.  A dice roll goes the
 * same way from here: ev_roll_dice -> job_roll -> pd_game_roll ->
 * pd_games_commit (gamestore: one SQL statement) -> roll_done ->
 * dice_rolled to the room.
 */
#include <kore/kore.h>

#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "service/ev_common.h"
#include "util/jsonutil.h"

static void	job_defense(struct pd_job *, struct pd_entry *);
static void	job_offense(struct pd_job *, struct pd_entry *);
static void	job_decision(struct pd_job *, struct pd_entry *, int);
static void	job_roll(struct pd_job *, struct pd_entry *);
static void	job_outcome(struct pd_job *, struct pd_entry *);
static int	decision_commit(struct pd_job *, struct pd_entry *,
		    const char *, const char *);

/* This worker's dice, set up on its first roll (never in the parent). */
static struct pd_rng_system	rng_pool;
static struct pd_rng		rng;
static int			rng_ready;

static void
submit(struct pd_req *req, pd_job_fn fn)
{
	const char	*game_id;

	if (ev_game_id(req, &game_id, NULL) == -1)
		return;
	pd_games_submit(sio_socket_id(req->client->sock), req->client->user_id,
	    game_id, req->event, req->ack, pd_req_take_data(req), fn);
}

void
ev_defensive_decision(struct pd_req *req)
{
	submit(req, job_defense);
}

void
ev_offensive_decision(struct pd_req *req)
{
	submit(req, job_offense);
}

void
ev_roll_dice(struct pd_req *req)
{
	submit(req, job_roll);
}

void
ev_manual_outcome(struct pd_req *req)
{
	static const char *const required[] = { "outcome", NULL };
	const char	*game_id;

	/* outcome is always required: checked before the game is. */
	if (ev_game_id(req, &game_id, required) == -1)
		return;
	pd_games_submit(sio_socket_id(req->client->sock), req->client->user_id,
	    game_id, req->event, req->ack, pd_req_take_data(req), job_outcome);
}

static int
decision_commit(struct pd_job *job, struct pd_entry *e, const char *side,
    const char *event)
{
	struct pd_buf	 obj, dec;
	struct pd_game	*next = job->next;
	yajl_gen	 g;
	int		 rc;

	pd_buf_init(&obj, 0);
	pd_buf_init(&dec, 0);
	rc = -1;
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && (strcmp(side, "defensive") == 0 ?
	    pd_json_def_decision(g, &next->def) :
	    pd_json_off_decision(g, &next->off)) == PD_OK, &dec) == -1 ||
	    pd_buf_appends(&obj, "{}") == -1 ||
	    ev_obj_put_str(&obj, "game_id", e->id) == -1 ||
	    ev_obj_put_raw(&obj, "decision", (const char *)dec.data,
	    dec.len) == -1 ||
	    ev_obj_put_str(&obj, "pending_decision",
	    pd_pending_name(pd_game_pending_decision(next))) == -1 ||
	    ev_event_add(job, event, &obj, pd_games_next_seq(e)) == -1)
		goto out;

	job->commit.kind = "decision";
	if (pd_buf_appendf(&job->commit.action, "{\"side\":\"%s\","
	    "\"decision\":", side) == -1 ||
	    pd_buf_append(&job->commit.action, dec.data, dec.len) == -1 ||
	    pd_buf_appendc(&job->commit.action, '}') == -1 ||
	    ev_snapshot_into(job, next) == -1)
		goto out;
	rc = 0;
out:
	pd_buf_free(&obj);
	pd_buf_free(&dec);
	return (rc);
}

/* Both decisions: the side's check, the engine's, then the commit. */
static void
job_decision(struct pd_job *job, struct pd_entry *e, int defense)
{
	struct pd_def_input	 def;
	struct pd_off_input	 off;
	struct pd_error		 err;
	struct pd_game		*next;
	int			 rc;

	pd_error_clear(&err);
	if (ev_authorize(job, e, defense ? EV_FIELDING : EV_BATTING, 0,
	    &err) == -1 || ev_game_over(e, &err) == -1) {
		ev_refuse(job, &err);
		return;
	}
	memset(&def, 0, sizeof(def));
	memset(&off, 0, sizeof(off));
	rc = defense ? pd_json_parse_def(job->data, &def, &err) :
	    pd_json_parse_off(job->data, &off, &err);
	if (rc == PD_OK && (next = ev_state_copy(job, e)) == NULL)
		rc = pd_error_set(&err, PD_E_INTERNAL, NULL, "Out of memory");
	if (rc == PD_OK)
		rc = defense ? pd_game_defense(next, &def, &err) :
		    pd_game_offense(next, &off, &err);
	if (rc == PD_ERR) {
		ev_refuse(job, &err);
		return;
	}
	if (decision_commit(job, e, defense ? "defensive" : "offensive",
	    defense ? "defensive_decision_submitted" :
	    "offensive_decision_submitted") == -1) {
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_games_commit(job, e, ev_room_done);
}

static void
job_defense(struct pd_job *job, struct pd_entry *e)
{
	job_decision(job, e, 1);
}

static void
job_offense(struct pd_job *job, struct pd_entry *e)
{
	job_decision(job, e, 0);
}

static void
job_roll(struct pd_job *job, struct pd_entry *e)
{
	struct pd_roll	 roll;
	struct pd_error	 err;
	struct pd_game	*next;
	struct pd_buf	 obj;
	yajl_gen	 g;
	int64_t		 now;

	pd_error_clear(&err);
	if (ev_authorize(job, e, EV_BATTING, 0, &err) == -1 ||
	    ev_game_over(e, &err) == -1) {
		ev_refuse(job, &err);
		return;
	}
	if (!rng_ready && pd_rng_system(&rng_pool, &rng) == PD_OK)
		rng_ready = 1;
	if (!rng_ready) {
		pd_error_set(&err, PD_E_INTERNAL, NULL, "No random source");
		ev_refuse(job, &err);
		return;
	}
	now = pd_clock_ms();
	pd_error_clear(&err);
	if ((next = ev_state_copy(job, e)) == NULL ||
	    pd_game_roll(next, &rng, now, &roll, &err) == PD_ERR) {
		if (next == NULL)
			pd_error_set(&err, PD_E_INTERNAL, NULL, "Out of memory");
		ev_refuse(job, &err);
		return;
	}
	/* A roll that expired unused stays in rolls; it is replaced here. */
	next->roll_expires_ms = now + pd_cfg.roll_ttl_ms;

	pd_buf_init(&obj, 0);
	job->commit.kind = "roll";
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && pd_json_roll(g, &roll) == PD_OK,
	    &obj) == -1 ||
	    pd_buf_append(&job->commit.action, obj.data, obj.len) == -1 ||
	    ev_obj_put_str(&obj, "game_id", e->id) == -1 ||
	    ev_obj_put_str(&obj, "message",
	    "Dice rolled - read your card and submit outcome") == -1 ||
	    ev_event_add(job, "dice_rolled", &obj, pd_games_next_seq(e)) ==
	    -1) {
		pd_buf_free(&obj);
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_buf_free(&obj);
	/*
	 * No new snapshot: the roll is its game row's pending_roll, where a
	 * game loaded from the database takes it from (state_manager.c).
	 */
	job->commit.status = pd_status_name(next->status);
	pd_games_commit(job, e, ev_room_done);
}

static void
job_outcome(struct pd_job *job, struct pd_entry *e)
{
	struct pd_outcome_input	 in;
	struct pd_play_result	 play;
	struct pd_error		 err;
	struct pd_game		*next;
	struct pd_buf		 obj, state, accepted;
	yajl_gen		 g;
	const char		*loc;
	int64_t			 seq;

	pd_error_clear(&err);
	if (ev_authorize(job, e, EV_BATTING, 0, &err) == -1 ||
	    ev_game_over(e, &err) == -1) {
		ev_refuse(job, &err);
		return;
	}
	memset(&in, 0, sizeof(in));
	pd_error_clear(&err);
	if (pd_json_parse_outcome(job->data, &in, &err) == PD_ERR) {
		ev_refuse(job, &err);
		return;
	}
	if ((next = ev_state_copy(job, e)) == NULL ||
	    pd_game_outcome(next, &in, pd_clock_ms(), &play, &err) == PD_ERR) {
		if (next == NULL)
			pd_error_set(&err, PD_E_INTERNAL, NULL, "Out of memory");
		ev_refuse(job, &err);
		return;
	}

	/* Immediate feedback; the result follows once it is saved. */
	pd_buf_init(&accepted, 0);
	loc = in.hit_location;
	if (pd_buf_appends(&accepted, "{}") == 0 &&
	    ev_obj_put_str(&accepted, "game_id", e->id) == 0 &&
	    ev_obj_put_str(&accepted, "outcome", in.outcome) == 0 &&
	    ev_obj_put_str(&accepted, "hit_location", loc) == 0 &&
	    ev_obj_put_str(&accepted, "roll_id", play.roll_id) == 0) {
		struct pd_req	req;

		pd_job_req(job, &req);
		if (req.client != NULL)
			(void)sio_emit_event(req.client->sock,
			    "outcome_accepted", (const char *)accepted.data,
			    accepted.len);
	}
	pd_buf_free(&accepted);

	seq = pd_games_next_seq(e);
	pd_buf_init(&obj, 0);
	pd_buf_init(&state, 0);
	job->commit.kind = "play";
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && pd_json_play(g, &play) == PD_OK,
	    &obj) == -1 ||
	    pd_buf_append(&job->commit.action, obj.data, obj.len) == -1 ||
	    ev_state_json(next, seq, &state) == -1 ||
	    ev_obj_put_raw(&obj, "state", (const char *)state.data,
	    state.len) == -1 ||
	    ev_event_add(job, "play_resolved", &obj, seq) == -1 ||
	    ev_snapshot_into(job, next) == -1) {
		pd_buf_free(&obj);
		pd_buf_free(&state);
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_buf_free(&obj);
	pd_buf_free(&state);
	pd_games_commit(job, e, ev_room_done);
}
