/*
 * recovery: Socket.IO connection state recovery over the durable event
 * log (see recovery.c for the scheme).
 */
#ifndef PD_SERVICE_RECOVERY_H
#define PD_SERVICE_RECOVERY_H

#include "service/gateway.h"

/* Gives a new socket its pid (sent in the CONNECT reply). */
void	pd_recovery_set_pid(struct pd_client *);
/*
 * A CONNECT carrying pid and offset: 0 when the socket is being
 * recovered (answer SIO_CONNECT_PENDING; recovery accepts it), -1 when
 * it is an ordinary new connection.
 */
int	pd_recovery_start(struct pd_client *, const char *pid,
	    const char *offset);

#endif
