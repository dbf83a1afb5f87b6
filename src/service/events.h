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

struct pd_job;

struct pd_req {
	struct pd_client	*client;	/* NULL: the socket is gone */
	const char		*event;
	yajl_val		 data;		/* first argument, or NULL */
	yajl_val		*slot;		/* data's place in its packet */
	int64_t			 ack;		/* -1: no ack callback */
};

void	pd_events_dispatch(struct pd_client *, const char *name,
	    yajl_val args, int64_t ack);

/*
 * Takes data out of its packet (which is freed when the handler returns)
 * for a handler that keeps it, e.g. in a queued job; the caller owns it.
 * Without a packet (a job's request) it is a copy.
 */
yajl_val	pd_req_take_data(struct pd_req *);

/* Emits `event` with object `json` to the requester, and acks it. */
void	pd_reply(const struct pd_req *, const char *event, const char *json,
	    size_t len);
/* Acks only (for events whose answer goes to the room). */
void	pd_reply_ack(const struct pd_req *, const char *json, size_t len);
/* Emits `event` {message, code, field?} to the requester, and acks. */
void	pd_reply_error(const struct pd_req *, const char *event,
	    const char *code, const char *message, const char *field);

/* The error event of a client event (outcome_rejected, ...). */
const char	*pd_error_event(const char *event);

/* Replies on behalf of a queued job (its socket may be gone). */
void	pd_job_req(const struct pd_job *, struct pd_req *);
void	pd_job_error(const struct pd_job *, const char *code,
	    const char *message, const char *field);
void	pd_job_error_ids(const char *sock_id, const char *event, int64_t ack,
	    const char *code, const char *message, const char *field);

/* From the gateway. */
void	pd_events_user_disconnected(const char *game_id, const char *user_id);

/* Handlers, one per client event (ev_*.c). */
void	ev_heartbeat(struct pd_req *);
void	ev_refresh_token(struct pd_req *);
void	ev_join_game(struct pd_req *);
void	ev_leave_game(struct pd_req *);
void	ev_get_lineup(struct pd_req *);
void	ev_get_box_score(struct pd_req *);
void	ev_request_game_state(struct pd_req *);
void	ev_defensive_decision(struct pd_req *);
void	ev_offensive_decision(struct pd_req *);
void	ev_roll_dice(struct pd_req *);
void	ev_manual_outcome(struct pd_req *);
void	ev_pinch_hitter(struct pd_req *);
void	ev_defensive_replacement(struct pd_req *);
void	ev_pitching_change(struct pd_req *);

#endif
