/*
 * events: dispatch and replies, see events.h.
 */
#include <kore/kore.h>

#include <string.h>
#include <time.h>

#include "service/events.h"
#include "util/json.h"

struct event_def {
	const char	*name;
	void		(*handler)(struct pd_req *);
};

/* Every client event, in the contract's order. */
static const struct event_def events[] = {
	{ "heartbeat",		ev_heartbeat },
	{ "refresh_token",	ev_refresh_token },
	{ NULL,			NULL }
};

static void	reply_ack_ok(const struct pd_req *, const char *, size_t);

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
	req.data = args->u.array.len > 1 ? args->u.array.values[1] : NULL;

	for (e = events; e->name != NULL; e++) {
		if (strcmp(e->name, name) == 0) {
			e->handler(&req);
			return;
		}
	}
	(void)snprintf(msg, sizeof(msg), "Unknown event: %.100s", name);
	pd_reply_error(&req, "error", "UNKNOWN_EVENT", msg, NULL);
}

/* {"ok":true} merged with the result object's fields. */
static void
reply_ack_ok(const struct pd_req *req, const char *json, size_t len)
{
	struct pd_buf	b;

	if (req->ack < 0)
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
	struct pd_buf	err, ack;

	pd_buf_init(&err, 0);
	pd_buf_init(&ack, 0);
	if (pd_buf_appends(&err, "{\"message\":") == -1 ||
	    json_append_string(&err, message, strlen(message)) == -1 ||
	    pd_buf_appendf(&err, ",\"code\":\"%s\"", code) == -1)
		goto out;
	if (field != NULL && (pd_buf_appends(&err, ",\"field\":") == -1 ||
	    json_append_string(&err, field, strlen(field)) == -1))
		goto out;
	if (pd_buf_appendc(&err, '}') == -1)
		goto out;
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

void
pd_events_user_disconnected(const char *game_id, const char *user_id)
{
	struct pd_buf	b;
	char		room[64];

	pd_buf_init(&b, 0);
	pd_room_game(room, sizeof(room), game_id);
	if (pd_buf_appendf(&b, "[\"user_disconnected\",{\"game_id\":\"%s\","
	    "\"user_id\":", game_id) == 0 &&
	    json_append_string(&b, user_id, strlen(user_id)) == 0 &&
	    pd_buf_appends(&b, "}]") == 0)
		sio_room_emit("/", room, (const char *)b.data, b.len);
	pd_buf_free(&b);
}

void
pd_events_client_gone(struct pd_client *c)
{
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
	char		 json[256], when[32];
	struct tm	 tm;
	time_t		 exp;
	int		 n;

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
	n = snprintf(json, sizeof(json),
	    "{\"user_id\":\"%s\",\"expires_at\":\"%s\"}",
	    req->client->user_id, when);
	pd_reply(req, "token_refreshed", json, (size_t)n);
}
