/*
 * ev_subst: the three substitutions (pinch hitter, defensive replacement,
 * pitching change).  The rules are the engine's; here are the payload
 * checks, the manager-of-team_id authorization, and the answers:
 * player_substituted to the room, substitution_confirmed to the
 * requester, substitution_error for any refusal.
 */
#include <kore/kore.h>

#include <string.h>

#include "service/ev_common.h"
#include "util/jsonutil.h"

typedef int	(*sub_fn)(struct pd_game *, const struct pd_sub_input *,
		    int64_t, struct pd_sub_result *, struct pd_error *);

static void	submit(struct pd_req *, int, pd_job_fn);
static void	job_sub(struct pd_job *, struct pd_entry *, sub_fn);
static void	job_pinch(struct pd_job *, struct pd_entry *);
static void	job_defensive(struct pd_job *, struct pd_entry *);
static void	job_pitching(struct pd_job *, struct pd_entry *);
static void	sub_done(struct pd_job *, struct pd_entry *, enum gs_result);
static int	lineup_rows(const struct pd_game *, int, struct pd_buf *);

static const char *const required[] = {
	"player_out_lineup_id", "player_in_card_id", "team_id", NULL
};

void
ev_pinch_hitter(struct pd_req *req)
{
	submit(req, 0, job_pinch);
}

void
ev_defensive_replacement(struct pd_req *req)
{
	submit(req, 1, job_defensive);
}

void
ev_pitching_change(struct pd_req *req)
{
	submit(req, 0, job_pitching);
}

/* Shape and always-required fields come before the game is looked up. */
static void
submit(struct pd_req *req, int needs_position, pd_job_fn fn)
{
	static const char *const with_position[] = {
		"player_out_lineup_id", "player_in_card_id", "team_id",
		"new_position", NULL
	};
	const char	*game_id;
	char		 msg[64];
	int		 i;

	if (ev_game_id(req, &game_id, needs_position ? with_position :
	    required) == -1)
		return;
	for (i = 0; required[i] != NULL; i++) {
		if (!YAJL_IS_INTEGER(json_get(req->data, required[i]))) {
			(void)snprintf(msg, sizeof(msg),
			    "%s must be an integer", required[i]);
			pd_reply_error(req, "substitution_error",
			    "INVALID_FORMAT", msg, required[i]);
			return;
		}
	}
	if (needs_position && json_string(req->data, "new_position") == NULL) {
		pd_reply_error(req, "substitution_error", "INVALID_FORMAT",
		    "new_position must be a string", "new_position");
		return;
	}
	pd_games_submit(sio_socket_id(req->client->sock), req->client->user_id,
	    game_id, req->event, req->ack, pd_req_take_data(req), fn);
}

static void
job_pinch(struct pd_job *job, struct pd_entry *e)
{
	job_sub(job, e, pd_game_pinch_hitter);
}

static void
job_defensive(struct pd_job *job, struct pd_entry *e)
{
	job_sub(job, e, pd_game_defensive_replacement);
}

static void
job_pitching(struct pd_job *job, struct pd_entry *e)
{
	job_sub(job, e, pd_game_pitching_change);
}

static void
job_sub(struct pd_job *job, struct pd_entry *e, sub_fn fn)
{
	struct pd_sub_input	 in;
	struct pd_sub_result	 res;
	struct pd_error		 err;
	struct pd_game		*next;
	struct pd_buf		 obj;
	yajl_gen		 g;
	int			 side;

	side = pd_game_side_of_team(e->g,
	    YAJL_GET_INTEGER(json_get(job->data, "team_id")));
	pd_error_clear(&err);
	if (ev_authorize(job, e, EV_TEAM, side, &err) == -1 ||
	    ev_game_over(e, &err) == -1) {
		ev_refuse(job, &err);
		return;
	}
	memset(&in, 0, sizeof(in));
	pd_error_clear(&err);
	if (pd_json_parse_sub(job->data, &in, &err) == PD_ERR) {
		ev_refuse(job, &err);
		return;
	}
	if ((next = ev_state_copy(job, e)) == NULL ||
	    fn(next, &in, pd_clock_ms(), &res, &err) == PD_ERR) {
		if (next == NULL)
			pd_error_set(&err, PD_E_INTERNAL, NULL, "Out of memory");
		ev_refuse(job, &err);
		return;
	}

	pd_buf_init(&obj, 0);
	job->commit.kind = "sub";
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && pd_json_sub(g, &res) == PD_OK,
	    &obj) == -1 ||
	    pd_buf_append(&job->commit.action, obj.data, obj.len) == -1 ||
	    lineup_rows(next, side, &job->commit.lineup) == -1 ||
	    ev_obj_put_str(&obj, "game_id", e->id) == -1 ||
	    ev_event_add(job, "player_substituted", &obj,
	    pd_games_next_seq(e)) == -1 ||
	    ev_snapshot_into(job, next) == -1) {
		pd_buf_free(&obj);
		ev_commit_failed(job, GS_ERROR);
		return;
	}
	pd_buf_free(&obj);
	pd_games_commit(job, e, sub_done);
}

static void
sub_done(struct pd_job *job, struct pd_entry *e, enum gs_result rc)
{
	if (rc != GS_OK) {
		ev_commit_failed(job, rc);
		return;
	}
	ev_broadcast(job);
	ev_job_reply(job, "substitution_confirmed",
	    (const char *)job->out_data[0].data, job->out_data[0].len);
	pd_games_finish(job);
}

/* The team's lineup rows, as the lineup_entries table holds them. */
static int
lineup_rows(const struct pd_game *g, int side, struct pd_buf *out)
{
	const struct pd_team	*t = &g->team[side];
	const struct pd_lineup_entry *lu;
	const char		*pos, *status;
	int			 i;

	if (pd_buf_appendc(out, '[') == -1)
		return (-1);
	for (i = 0; i < t->roster.ncards; i++) {
		lu = &t->lu[i];
		if (lu->lineup_id == 0)
			continue;
		pos = pd_pos_name(lu->position);
		status = lu->status == PD_LU_ACTIVE ? "active" :
		    lu->status == PD_LU_REMOVED ? "removed" : "bench";
		if (pd_buf_appendf(out, "%s{\"lineup_id\":%d,\"team_id\":%lld,"
		    "\"card_id\":%lld,\"position\":%s%s%s,",
		    out->len > 1 ? "," : "", lu->lineup_id,
		    (long long)t->roster.team_id,
		    (long long)t->roster.cards[i].card_id,
		    pos ? "\"" : "", pos ? pos : "null", pos ? "\"" : "") == -1)
			return (-1);
		/* The table holds no batting slot 0: not batting is null. */
		if ((lu->batting_order > 0 ? pd_buf_appendf(out,
		    "\"batting_order\":%d,", lu->batting_order) :
		    pd_buf_appends(out, "\"batting_order\":null,")) == -1 ||
		    pd_buf_appendf(out, "\"is_starter\":%s,\"status\":\"%s\"}",
		    lu->is_starter ? "true" : "false", status) == -1)
			return (-1);
	}
	return (pd_buf_appendc(out, ']'));
}
