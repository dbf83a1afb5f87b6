/*
 * ev_common: shared checks and room events, see ev_common.h.
 */
#include <kore/kore.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/config.h"
#include "service/ev_common.h"
#include "service/ratelimit.h"
#include "util/jsonutil.h"

#define AUDIT_STRANGER_MAX	3	/* recorded NOT_AUTHORIZED per connection */

static void	audit_refusal(const struct pd_job *, const char *);

int
ev_is_uuid(const char *s)
{
	size_t	i;

	if (strlen(s) != GAME_ID_LEN)
		return (0);
	for (i = 0; i < GAME_ID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)s[i])) {
			return (0);
		}
	}
	return (1);
}

/*
 * Steps (1) and (2) of the contract's order: the payload is an object
 * with game_id and every field in `required` (NULL-terminated, may be
 * NULL), then game_id is a UUID.  The caller checks its other formats.
 */
int
ev_game_id(const struct pd_req *req, const char **id,
    const char *const *required)
{
	const char	*errev = pd_error_event(req->event);
	yajl_val	 v;
	char		 msg[64];
	int		 i;

	if (req->data == NULL || !YAJL_IS_OBJECT(req->data)) {
		pd_reply_error(req, errev, "INVALID_PAYLOAD",
		    "Payload must be an object", NULL);
		return (-1);
	}
	if ((v = json_get(req->data, "game_id")) == NULL || YAJL_IS_NULL(v)) {
		pd_reply_error(req, errev, "MISSING_FIELD", "Missing game_id",
		    "game_id");
		return (-1);
	}
	for (i = 0; required != NULL && required[i] != NULL; i++) {
		if (json_get(req->data, required[i]) == NULL ||
		    YAJL_IS_NULL(json_get(req->data, required[i]))) {
			(void)snprintf(msg, sizeof(msg), "Missing %s",
			    required[i]);
			pd_reply_error(req, errev, "MISSING_FIELD", msg,
			    required[i]);
			return (-1);
		}
	}
	if (!YAJL_IS_STRING(v) || !ev_is_uuid(YAJL_GET_STRING(v))) {
		pd_reply_error(req, errev, "INVALID_FORMAT",
		    "Invalid game_id format", "game_id");
		return (-1);
	}
	*id = YAJL_GET_STRING(v);
	return (0);
}

int
ev_manages(const struct pd_entry *e, const char *user, int side)
{
	return (strcmp(side == PD_HOME ? e->home_owner : e->away_owner,
	    user) == 0);
}

/*
 * NOT_AUTHORIZED: no role in this game allows the action (strangers,
 * spectators).  NOT_YOUR_TURN: a manager of the game, acting for the
 * other side.
 */
int
ev_authorize(const struct pd_job *job, const struct pd_entry *e,
    enum ev_who who, int team_side, struct pd_error *err)
{
	const char	*u = job->user_id;
	int		 manager, batting, fielding;

	if (who == EV_ANYONE)
		return (0);
	manager = ev_manages(e, u, PD_AWAY) || ev_manages(e, u, PD_HOME);
	batting = pd_game_batting(e->g);
	fielding = pd_game_fielding(e->g);

	switch (who) {
	case EV_FIELDING:
		if (ev_manages(e, u, fielding))
			return (0);
		break;
	case EV_BATTING:
		if (ev_manages(e, u, batting) || strcmp(e->admin, u) == 0)
			return (0);
		break;
	case EV_TEAM:
		/* A team not in the game is nobody's here: it falls through. */
		if (team_side >= 0 && ev_manages(e, u, team_side))
			return (0);
		break;
	default:
		break;
	}
	if (manager || strcmp(e->admin, u) == 0)
		(void)pd_error_set(err, "NOT_YOUR_TURN", "authorization",
		    "Not your turn: this belongs to the other side");
	else
		(void)pd_error_set(err, "NOT_AUTHORIZED", "authorization",
		    "Not authorized for this game");
	return (-1);
}

int
ev_game_over(const struct pd_entry *e, struct pd_error *err)
{
	if (e->g->status != PD_STATUS_FINAL)
		return (0);
	(void)pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
	    "The game is over");
	return (-1);
}

void
ev_refuse(struct pd_job *job, const struct pd_error *err)
{
	/*
	 * Said against the latest state only: recheck a cached copy first.
	 * NOT_AUTHORIZED needs no recheck: a game's managers and admin never
	 * change, and a stranger's flood must not become database reads.
	 */
	if (strcmp(err->code, "NOT_AUTHORIZED") != 0 && pd_games_recheck(job))
		return;
	pd_job_error(job, err->code, err->message, err->field);
	audit_refusal(job, err->code);
	pd_games_finish(job);
}

/*
 * Refused actions go into the audit trail; refused reads do not.  A
 * connection with no role in the game (NOT_AUTHORIZED) gets its first
 * AUDIT_STRANGER_MAX refusals recorded, not every one the rate limits let
 * through: enough for the admin to see who tried, without a database
 * write for each event of a stranger's flood.
 */
static void
audit_refusal(const struct pd_job *job, const char *code)
{
	struct pd_buf	 payload;
	struct pd_req	 req;
	yajl_gen	 g;

	if (pd_rl_class_of(job->event) != PD_RL_ROLL &&
	    pd_rl_class_of(job->event) != PD_RL_ACTION)
		return;
	if (strcmp(code, "NOT_AUTHORIZED") == 0) {
		pd_job_req(job, &req);
		if (req.client == NULL ||
		    req.client->strangers_audited >= AUDIT_STRANGER_MAX)
			return;
		req.client->strangers_audited++;
	}
	pd_buf_init(&payload, 0);
	g = ev_gen();
	if (ev_gen_take(g, g != NULL && json_gen_value(g, job->data) == 0,
	    &payload) == 0)
		gs_record_refusal(job->game_id, job->user_id, job->event, code,
		    pd_buf_cstr(&payload));
	pd_buf_free(&payload);
}

yajl_gen
ev_gen(void)
{
	return (yajl_gen_alloc(NULL));
}

/*
 * Moves the generator's output into `out` when `written` (the write
 * succeeded), and frees the generator in any case.
 */
int
ev_gen_take(yajl_gen g, int written, struct pd_buf *out)
{
	int	rc;

	if (g == NULL)
		return (-1);
	rc = written ? json_gen_flush(g, out) : -1;
	yajl_gen_free(g);
	return (rc);
}

/* Opens "key": before the closing brace of `obj`; the value follows. */
static int
obj_key(struct pd_buf *obj, const char *key)
{
	if (obj->len < 2 || obj->data[obj->len - 1] != '}')
		return (-1);
	obj->len--;
	if ((obj->data[obj->len - 1] != '{' && pd_buf_appendc(obj, ',') == -1) ||
	    json_append_string(obj, key, strlen(key)) == -1 ||
	    pd_buf_appendc(obj, ':') == -1)
		return (-1);
	return (0);
}

int
ev_obj_put_raw(struct pd_buf *obj, const char *key, const char *raw,
    size_t len)
{
	if (obj_key(obj, key) == -1 || pd_buf_append(obj, raw, len) == -1)
		return (-1);
	return (pd_buf_appendc(obj, '}'));
}

int
ev_obj_put_str(struct pd_buf *obj, const char *key, const char *value)
{
	if (value == NULL)
		return (ev_obj_put_raw(obj, key, "null", 4));
	if (obj_key(obj, key) == -1 ||
	    json_append_string(obj, value, strlen(value)) == -1)
		return (-1);
	return (pd_buf_appendc(obj, '}'));
}

int
ev_obj_put_int(struct pd_buf *obj, const char *key, long long value)
{
	char	num[24];
	int	n;

	n = snprintf(num, sizeof(num), "%lld", value);
	return (ev_obj_put_raw(obj, key, num, (size_t)n));
}

int
ev_state_json(const struct pd_game *g, int64_t seq, struct pd_buf *out)
{
	struct pd_game	*copy;
	yajl_gen	 gen;
	int		 rc;

	/* The state shows the seq of the event that carries it. */
	if ((copy = malloc(sizeof(*copy))) == NULL)
		return (-1);
	*copy = *g;
	copy->seq = seq;
	/* An expired roll is no longer pending: show none. */
	copy->has_roll = pd_game_roll_pending(copy, pd_clock_ms());
	gen = ev_gen();
	rc = ev_gen_take(gen, gen != NULL && pd_json_state(gen, copy) == PD_OK,
	    out);
	free(copy);
	return (rc);
}

int
ev_event_add(struct pd_job *job, const char *name, struct pd_buf *obj,
    int64_t seq)
{
	struct pd_buf	*data;

	if (job->nout == PD_JOB_EVENTS || ev_obj_put_int(obj, "seq", seq) == -1)
		return (-1);

	data = &job->out_data[job->nout];
	pd_buf_init(data, 0);
	if (pd_buf_append(data, obj->data, obj->len) == -1) {
		pd_buf_free(data);
		return (-1);
	}
	job->out_seq[job->nout] = seq;
	job->out_name[job->nout++] = name;
	/* The commit writes the events the room will get. */
	job->commit.nevents = job->nout;
	job->commit.ev_seq = job->out_seq;
	job->commit.ev_name = job->out_name;
	job->commit.ev_data = job->out_data;
	job->commit.seq = seq;
	return (0);
}

void
ev_broadcast(struct pd_job *job)
{
	struct pd_buf	 pkt;
	char		 room[64], offset[64];
	unsigned char	 note[SIO_NOTE_MAX];
	size_t		 note_len;
	int		 i;

	pd_room_game(room, sizeof(room), job->game_id);
	/* The other workers learn of the commit with its events. */
	note_len = job->nout > 0 ? pd_games_take_note(job, note, sizeof(note)) :
	    0;
	pd_buf_init(&pkt, 0);
	for (i = 0; i < job->nout; i++) {
		pd_buf_reset(&pkt);
		if (pd_buf_appendf(&pkt, "[\"%s\",", job->out_name[i]) == -1 ||
		    pd_buf_append(&pkt, job->out_data[i].data,
		    job->out_data[i].len) == -1 ||
		    pd_buf_appendc(&pkt, ']') == -1)
			break;
		/* The recovery offset of a room event (see recovery.c). */
		(void)snprintf(offset, sizeof(offset), "%s:%lld", job->game_id,
		    (long long)job->out_seq[i]);
		sio_room_emit("/", room, (const char *)pkt.data, pkt.len,
		    pd_cfg.recovery ? offset : NULL, note, note_len);
	}
	pd_buf_free(&pkt);
}

void
ev_job_reply(struct pd_job *job, const char *event, const char *json,
    size_t len)
{
	struct pd_req	req;

	pd_job_req(job, &req);
	pd_reply(&req, event, json, len);
}

void
ev_job_ack(struct pd_job *job, const char *json, size_t len)
{
	struct pd_req	req;

	pd_job_req(job, &req);
	pd_reply_ack(&req, json, len);
}

/* The copy a job changes; it becomes the state once committed. */
struct pd_game *
ev_state_copy(struct pd_job *job, struct pd_entry *e)
{
	if ((job->next = malloc(sizeof(*job->next))) == NULL)
		return (NULL);
	*job->next = *e->g;
	return (job->next);
}



/* The commit carries the whole new state: a restart resumes from it. */
int
ev_snapshot_into(struct pd_job *job, const struct pd_game *next)
{
	size_t	len;

	free(job->commit.snapshot);
	if ((job->commit.snapshot = pd_snapshot_str(next, &len)) == NULL)
		return (-1);
	job->commit.status = pd_status_name(next->status);
	return (0);
}

/* Broadcasts the commit's events and acks the requester with the last. */
void
ev_room_done(struct pd_job *job, struct pd_entry *e, enum gs_result rc)
{
	if (rc != GS_OK) {
		ev_commit_failed(job, rc);
		return;
	}
	ev_broadcast(job);
	if (job->nout > 0)
		ev_job_ack(job, (const char *)job->out_data[job->nout - 1].data,
		    job->out_data[job->nout - 1].len);
	pd_games_finish(job);
}

void
ev_commit_failed(struct pd_job *job, enum gs_result rc)
{
	pd_job_error(job, "INTERNAL_ERROR", rc == GS_CONFLICT ?
	    "The game changed meanwhile - try again" :
	    "Could not save - try again", NULL);
	pd_games_finish(job);
}
