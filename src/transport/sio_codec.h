/*
 * sio_codec: Socket.IO v5 packets, with no I/O.
 *
 *	<type>[<attachments>-][<nsp>,][<ack id>][<JSON payload>]
 *
 * Decoding validates exactly what socket.io-parser validates; a packet it
 * refuses must close the connection.  The decoded payload is a yajl tree
 * owned by the packet (sio_packet_clear()).  Binary attachments are not
 * the codec's business: the caller collects `attachments` binary messages
 * after the packet.
 */
#ifndef PD_TRANSPORT_SIO_CODEC_H
#define PD_TRANSPORT_SIO_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "util/buf.h"

#define SIO_NSP_MAX		128
#define SIO_MAX_ATTACHMENTS	10

enum sio_type {
	SIO_CONNECT = 0,
	SIO_DISCONNECT,
	SIO_EVENT,
	SIO_ACK,
	SIO_CONNECT_ERROR,
	SIO_BINARY_EVENT,
	SIO_BINARY_ACK
};

struct sio_packet {
	enum sio_type	 type;
	char		 nsp[SIO_NSP_MAX];
	int64_t		 ack_id;	/* -1: none */
	int		 attachments;
	yajl_val	 data;		/* NULL: no payload */
};

/* 0 ok; -1 malformed, with a static reason in *why. */
int	sio_packet_decode(const uint8_t *, size_t, struct sio_packet *,
	    const char **why);
void	sio_packet_clear(struct sio_packet *);

/* Appends "<type>[n-][nsp,][ack]"; the JSON payload follows. */
int	sio_header_encode(struct pd_buf *, enum sio_type, const char *nsp,
	    int attachments, int64_t ack_id);

/* Counts {"_placeholder":true,"num":N} objects in a tree. */
int	sio_count_placeholders(yajl_val);

#endif
