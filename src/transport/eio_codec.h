/*
 * eio_codec: Engine.IO v4 packets and polling payloads, with no I/O.
 *
 * A packet is a type digit and data.  Over WebSocket one frame is one
 * packet; over long-polling a body holds packets separated by 0x1e, binary
 * ones written as 'b' + base64.  Decoding never allocates for text
 * packets: the data points into the caller's input.  Binary records of a
 * polling body are decoded into storage owned by the callback's caller
 * and valid only during the callback.
 */
#ifndef PD_TRANSPORT_EIO_CODEC_H
#define PD_TRANSPORT_EIO_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define EIO_RECORD_SEP		0x1e

enum eio_type {
	EIO_OPEN = 0,
	EIO_CLOSE,
	EIO_PING,
	EIO_PONG,
	EIO_MESSAGE,
	EIO_UPGRADE,
	EIO_NOOP,
	EIO_BINARY		/* a binary message: no type digit */
};

struct eio_packet {
	enum eio_type	 type;
	const uint8_t	*data;
	size_t		 len;
};

/* One WebSocket frame (binary != 0 for a binary frame). 0 ok, -1 bad. */
int	eio_packet_decode(const uint8_t *, size_t, int binary,
	    struct eio_packet *);

/*
 * Splits a polling body and calls cb for each packet in order; stops at
 * the first malformed record or the first cb that returns -1.
 * Returns 0 when every packet was delivered, -1 otherwise.
 */
int	eio_payload_decode(const uint8_t *, size_t,
	    int (*cb)(void *, const struct eio_packet *), void *);

/* Appends one packet to a polling body, with a separator if needed. */
int	eio_payload_append(struct pd_buf *, enum eio_type,
	    const void *, size_t);

/* The open packet's JSON (without the leading '0'). */
int	eio_handshake_json(struct pd_buf *, const char *sid, int upgrades,
	    unsigned int ping_interval, unsigned int ping_timeout,
	    size_t max_payload);

#endif
