/*
 * gateway: the game's Socket.IO namespace "/".
 *
 * Authenticates a CONNECT with the JWT (auth.token, or an Authorization
 * header on the handshake), keeps one struct pd_client per socket,
 * registers it with the connection manager, ends it when its token
 * expires, and hands every event to the dispatcher (events.c).
 */
#ifndef PD_SERVICE_GATEWAY_H
#define PD_SERVICE_GATEWAY_H

#include <stdint.h>

#include "auth/jwt.h"
#include "service/connmgr.h"
#include "transport/deadline.h"
#include "transport/sio.h"

struct pd_client {
	struct sio_socket	*sock;
	char			 user_id[JWT_SUB_MAX];
	char			 name[JWT_NAME_MAX];
	int64_t			 token_exp;	/* seconds */
	struct pd_deadline	 expiry;
	void			*limits;	/* rate limiter state */
	unsigned int		 strangers_audited; /* see ev_common.c */
};

void			 pd_gateway_init(void);
struct pd_connmgr	*pd_gateway_connmgr(void);

/* Verifies a token for `c` (refresh); 0 ok, else an AUTH_* code. */
const char		*pd_gateway_refresh(struct pd_client *, const char *,
			    const char **why);

/* "user:<id>" and "game:<uuid>": the rooms a client can be in. */
void			 pd_room_user(char *, size_t, const char *);
void			 pd_room_game(char *, size_t, const char *);

#endif
