/*
 * events: dispatch and replies, see events.h.
 */
#include <kore/kore.h>

#include <string.h>
#include <time.h>

#include "app/metrics.h"
#include "service/events.h"
#include "service/state_manager.h"
#include "service/ratelimit.h"
#include "util/jsonutil.h"

struct event_def {
	const char	*name;
	void		(*handler)(struct pd_req *);
};

/* Every client event, in the contract's order. */
static const struct event_def events[] = {
	{ "join_game",				ev_join_game },
	{ "leave_game",				ev_leave_game },
	{ "heartbeat",				ev_heartbeat },
	{ "submit_defensive_decision",		ev_defensive_decision },
	{ "submit_offensive_decision",		ev_offensive_decision },
	{ "roll_dice",				ev_roll_dice },
	{ "submit_manual_outcome",		ev_manual_outcome },
	{ "request_pinch_hitter",		ev_pinch_hitter },
	{ "request_defensive_replacement",	ev_defensive_replacement },
	{ "request_pitching_change",		ev_pitching_change },
	{ "get_lineup",				ev_get_lineup },
	{ "get_box_score",			ev_get_box_score },
	{ "request_game_state",			ev_request_game_state },
	{ "refresh_token",			ev_refresh_token },
	{ NULL,					NULL }
};

static void	reply_ack_ok(const struct pd_req *, const char *, size_t);
static void	reply_error(const struct pd_req *, const char *, const char *,
		    const char *, const char *, long long);
static int	rate_limited(struct pd_req *);

void
pd_events_dispatch(struct pd_client *c, const char *name, yajl_val args,
    int64_t ack)
{
	const struct event_def	*e;
	struct pd_req		 req;
	char			 msg[160];

	if (c == NULL)
		return;
	memset(&req, 0, sizeof(req));
	req.client = c;
	req.event = name;
	req.ack = ack;
	if (args->u.array.len > 1) {
		req.slot = &args->u.array.values[1];
		req.data = *req.slot;
	}

	if (rate_limited(&req))
		return;
	for (e = events; e->name != NULL; e++) {
		if (strcmp(e->name, name) == 0) {
			/* Handlers keep the static name, not the packet's. */
			req.event = e->name;
			pd_metrics_event(e->name);
			e->handler(&req);
			return;
		}
	}
	pd_metrics_event("unknown");
	(void)snprintf(msg, sizeof(msg), "Unknown event: %.100s", name);
	pd_reply_error(&req, "error", "UNKNOWN_EVENT", msg, NULL);
}

yajl_val
pd_req_take_data(struct pd_req *req)
{
	yajl_val	v;

	if (req->slot == NULL)
		return (req->data != NULL ? json_copy(req->data) : NULL);
	v = *req->slot;
	*req->slot = NULL;
	req->slot = NULL;
	return (v);
}

/*
 * Token buckets per connection and event class; a client refused too
 * often in a short time is disconnected.  Returns 1 when refused.
 */
static int
rate_limited(struct pd_req *req)
{
	struct pd_client	*c = req->client;
	uint64_t		 retry;
	char			 msg[96];

	switch (pd_rl_take(c->limits, pd_rl_class_of(req->event),
	    kore_time_ms(), &retry)) {
	case PD_RL_PASS:
		return (0);
	case PD_RL_LIMITED:
		(void)snprintf(msg, sizeof(msg),
		    "Too many requests - retry in %llu ms",
		    (unsigned long long)retry);
		reply_error(req, pd_error_event(req->event), "RATE_LIMITED",
		    msg, NULL, (long long)retry);
		return (1);
	default:
		reply_error(req, "error", "RATE_LIMITED",
		    "Too many requests - disconnecting", NULL, (long long)retry);
		sio_disconnect(c->sock, 1);
		return (1);
	}
}

/* {"ok":true} merged with the result object's fields. */
static void
reply_ack_ok(const struct pd_req *req, const char *json, size_t len)
{
	struct pd_buf	b;

	if (req->ack < 0 || req->client == NULL)
		return;
	pd_buf_init(&b, 0);
	if (pd_buf_appends(&b, "[{\"ok\":true") == -1)
		goto out;
	if (len > 2 && json[0] == '{') {
		if (pd_buf_appendc(&b, ',') == -1 ||
		    pd_buf_append(&b, json + 1, len - 1) == -1)
			goto out;
	} else if (pd_buf_appendc(&b, '}') == -1) {
		goto out;
	}
	if (pd_buf_appendc(&b, ']') == 0)
		(void)sio_ack(req->client->sock, req->ack,
		    (const char *)b.data, b.len);
out:
	pd_buf_free(&b);
}

void
pd_reply(const struct pd_req *req, const char *event, const char *json,
    size_t len)
{
	if (req->client == NULL)
		return;
	(void)sio_emit_event(req->client->sock, event, json, len);
	reply_ack_ok(req, json, len);
}

void
pd_reply_ack(const struct pd_req *req, const char *json, size_t len)
{
	reply_ack_ok(req, json, len);
}

void
pd_reply_error(const struct pd_req *req, const char *event, const char *code,
    const char *message, const char *field)
{
	reply_error(req, event, code, message, field, -1);
}

/* {message, code, field?, retry_after_ms?} to the requester, and acked. */
static void
reply_error(const struct pd_req *req, const char *event, const char *code,
    const char *message, const char *field, long long retry_after)
{
	struct pd_buf	err, ack;

	if (req->client == NULL)
		return;
	pd_buf_init(&err, 0);
	pd_buf_init(&ack, 0);
	if (pd_buf_appends(&err, "{\"message\":") == -1 ||
	    json_append_string(&err, message, strlen(message)) == -1 ||
	    pd_buf_appendf(&err, ",\"code\":\"%s\"", code) == -1)
		goto out;
	if (field != NULL && (pd_buf_appends(&err, ",\"field\":") == -1 ||
	    json_append_string(&err, field, strlen(field)) == -1))
		goto out;
	if (retry_after >= 0 && pd_buf_appendf(&err, ",\"retry_after_ms\":%lld",
	    retry_after) == -1)
		goto out;
	if (pd_buf_appendc(&err, '}') == -1)
		goto out;
	pd_metrics_error(code);
	(void)sio_emit_event(req->client->sock, event, (const char *)err.data,
	    err.len);
	if (req->ack >= 0 &&
	    pd_buf_appends(&ack, "[{\"ok\":false,\"error\":") == 0 &&
	    pd_buf_append(&ack, err.data, err.len) == 0 &&
	    pd_buf_appends(&ack, "}]") == 0)
		(void)sio_ack(req->client->sock, req->ack,
		    (const char *)ack.data, ack.len);
out:
	pd_buf_free(&err);
	pd_buf_free(&ack);
}

const char *
pd_error_event(const char *event)
{
	if (strcmp(event, "submit_manual_outcome") == 0)
		return ("outcome_rejected");
	if (strncmp(event, "request_", 8) == 0 &&
	    strcmp(event, "request_game_state") != 0)
		return ("substitution_error");
	return ("error");
}

void
pd_job_req(const struct pd_job *job, struct pd_req *req)
{
	struct sio_socket	*sock;

	memset(req, 0, sizeof(*req));
	req->event = job->event;
	req->data = job->data;
	req->ack = job->ack;
	if ((sock = sio_socket_find(job->sock_id)) != NULL)
		req->client = sio_udata(sock);
}

void
pd_job_error(const struct pd_job *job, const char *code, const char *message,
    const char *field)
{
	struct pd_req	req;

	pd_job_req(job, &req);
	pd_reply_error(&req, pd_error_event(job->event), code, message, field);
}

void
pd_job_error_ids(const char *sock_id, const char *event, int64_t ack,
    const char *code, const char *message, const char *field)
{
	struct sio_socket	*sock;
	struct pd_req		 req;

	memset(&req, 0, sizeof(req));
	req.event = event;
	req.ack = ack;
	if ((sock = sio_socket_find(sock_id)) != NULL)
		req.client = sio_udata(sock);
	pd_reply_error(&req, pd_error_event(event), code, message, field);
}

void
ev_heartbeat(struct pd_req *req)
{
	char	json[64];
	int	n;

	n = snprintf(json, sizeof(json), "{\"timestamp\":%lld}",
	    (long long)time(NULL) * 1000);
	pd_reply(req, "heartbeat_ack", json, (size_t)n);
}

void
ev_refresh_token(struct pd_req *req)
{
	const char	*token, *code, *why;
	char		 when[32];
	struct pd_buf	 b;
	struct tm	 tm;
	time_t		 exp;

	if (req->data == NULL || !YAJL_IS_OBJECT(req->data)) {
		pd_reply_error(req, "error", "INVALID_PAYLOAD",
		    "Payload must be an object", NULL);
		return;
	}
	if ((token = json_string(req->data, "token")) == NULL) {
		pd_reply_error(req, "error", "MISSING_FIELD", "Missing token",
		    "token");
		return;
	}
	if ((code = pd_gateway_refresh(req->client, token, &why)) != NULL) {
		pd_reply_error(req, "error", code, why, "token");
		return;
	}
	exp = (time_t)req->client->token_exp;
	(void)gmtime_r(&exp, &tm);
	(void)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pd_buf_init(&b, 0);
	if (pd_buf_appends(&b, "{\"user_id\":") == 0 &&
	    json_append_string(&b, req->client->user_id,
	    strlen(req->client->user_id)) == 0 &&
	    pd_buf_appendf(&b, ",\"expires_at\":\"%s\"}", when) == 0)
		pd_reply(req, "token_refreshed", (const char *)b.data, b.len);
	pd_buf_free(&b);
}
