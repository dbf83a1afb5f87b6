/*
 * events: the table of client events and the reply helpers every
 * handler uses.
 *
 * A new event is one line in the table in events.c and a handler in the
 * ev_*.c file of its concern.  A handler answers through pd_reply() or
 * pd_reply_error(), which also call the client's ack callback when it
 * gave one: {ok: true, ...result} or {ok: false, error: {...}}.
 */
#ifndef PD_SERVICE_EVENTS_H
#define PD_SERVICE_EVENTS_H

#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "service/gateway.h"

struct pd_req {
	struct pd_client	*client;
	const char		*event;
	yajl_val		 data;		/* first argument, or NULL */
	int64_t			 ack;		/* -1: no ack callback */
};

void	pd_events_dispatch(struct pd_client *, const char *name,
	    yajl_val args, int64_t ack);

/* Emits `event` with object `json` to the requester, and acks it. */
void	pd_reply(const struct pd_req *, const char *event, const char *json,
	    size_t len);
/* Acks only (for events whose answer goes to the room). */
void	pd_reply_ack(const struct pd_req *, const char *json, size_t len);
/* Emits `event` {message, code, field?} to the requester, and acks. */
void	pd_reply_error(const struct pd_req *, const char *event,
	    const char *code, const char *message, const char *field);

/* From the gateway. */
void	pd_events_user_disconnected(const char *game_id, const char *user_id);
void	pd_events_client_gone(struct pd_client *);

/* Handlers, one per client event. */
void	ev_heartbeat(struct pd_req *);
void	ev_refresh_token(struct pd_req *);

#endif
