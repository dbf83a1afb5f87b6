/*
 * bench/floor.c: the kernel's own cost of the socket I/O of one play, with
 * no application logic at all.  bench/run.mjs (scenario `floor`) prints it
 * beside the server's CPU per play, as the floor under any design that
 * sends one frame per member per event.
 *
 * The parent is the server, the child the clients, each pinned to its own
 * CPU.  G games of 10 TCP connections over 127.0.0.1 (2 players + 8
 * spectators), TCP_NODELAY on both ends as Kore sets it, non-blocking,
 * level-triggered epoll, one play in flight per game.  Per play, as in
 * `node bench/run.mjs play-1w` (whose clients ask for no acks):
 *
 *	requester -> server	roll_dice
 *	server -> 10 members	dice_rolled
 *	requester -> server	submit_manual_outcome	(on its dice_rolled)
 *	server -> requester	outcome_accepted
 *	server -> 10 members	play_resolved
 *
 * 2 receives and 21 sends, one recv(2) per incoming frame and one send(2)
 * per outgoing frame: frames to different sockets cannot be coalesced.
 * Frames are opaque bytes behind a 2-byte length and a 1-byte type instead
 * of WebSocket framing, padded to the sizes below; no JSON, no state.
 *
 * usage: bench-floor [-g games] [-r plays/s] [-d seconds] [-w seconds]
 *	  [-s server cpu] [-c client cpu]
 * -r 0 (the default) is a closed loop; otherwise the plays are paced at r
 * per second in all, spread evenly over the games.  The server's CPU over
 * the window (getrusage) goes to stdout as one line of JSON.
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MEMBERS		10	/* 2 players + 8 spectators; 0 asks */
#define HDR		3	/* length (2 bytes, big-endian), type */
#define FRAME_MAX	2048
#define NEVENTS		256

enum { ROLL, SUBMIT, ACCEPTED, DICE, RESOLVED, NTYPES };

/*
 * Bytes on the wire, WebSocket header included: strace of Kore's worker
 * during `node bench/run.mjs play-1w` (2026-12-01), means over 1 s.
 */
static const size_t	frame_len[NTYPES] = { 72, 103, 161, 397, 1395 };

struct conn {
	int		fd;
	int		game;
	int		member;
	size_t		off;
	size_t		have;
	uint8_t		buf[8192];
};

struct game {
	double		due;		/* client, paced: next roll */
	int		idle;		/* client, paced: no play in flight */
};

static double	now(void);
static void	cpu_pin(int);
static void	sock_setup(int);
static int	loop_new(struct conn *);
static int	conn_read(struct conn *);
static int	frame_take(struct conn *);
static void	frame_send(struct conn *, int);
static void	server(struct conn *, pid_t);
static void	client(struct conn *);
static double	tv_us(const struct timeval *, const struct timeval *);
static double	knob(const char *, double, double);

static uint8_t		 frames[NTYPES][FRAME_MAX];
static struct game	*games;
static int		 ngames = 100;
static double		 rate, duration = 10, warmup = 2;

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	socklen_t		 slen;
	struct conn		*conns;
	pid_t			 pid;
	uint32_t		 id;
	int			 ch, i, n, fd, lfd, scpu = 0, ccpu = 1;

	while ((ch = getopt(argc, argv, "c:d:g:r:s:w:")) != -1) {
		switch (ch) {
		case 'c': ccpu = (int)knob(optarg, 0, CPU_SETSIZE - 1); break;
		case 'd': duration = knob(optarg, 0.1, 3600); break;
		case 'g': ngames = (int)knob(optarg, 1, 10000); break;
		case 'r': rate = knob(optarg, 0, 1e7); break;
		case 's': scpu = (int)knob(optarg, 0, CPU_SETSIZE - 1); break;
		case 'w': warmup = knob(optarg, 0, 3600); break;
		default:
			fprintf(stderr, "usage: bench-floor [-g games] "
			    "[-r plays/s] [-d s] [-w s] [-s cpu] [-c cpu]\n");
			return (1);
		}
	}
	n = ngames * MEMBERS;
	if ((conns = calloc(n, sizeof(*conns))) == NULL ||
	    (games = calloc(ngames, sizeof(*games))) == NULL)
		err(1, "calloc");
	for (i = 0; i < NTYPES; i++) {
		memset(frames[i], 'x', frame_len[i]);
		frames[i][0] = frame_len[i] >> 8;
		frames[i][1] = frame_len[i] & 0xff;
		frames[i][2] = i;
	}

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	slen = sizeof(sin);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4096) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1)
		err(1, "listen");

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
			err(1, "prctl");
		if (getppid() == 1)
			errx(1, "server gone");
		cpu_pin(ccpu);
		(void)close(lfd);
		/* Each connection says which one it is: game * 10 + member. */
		for (i = 0; i < n; i++) {
			if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
				err(1, "socket");
			if (connect(fd, (struct sockaddr *)&sin,
			    sizeof(sin)) == -1)
				err(1, "connect");
			id = i;
			if (send(fd, &id, sizeof(id), 0) != sizeof(id))
				err(1, "send id");
			sock_setup(fd);
			conns[i].fd = fd;
		}
		client(conns);
		_exit(0);
	}

	/* Bounded even if the clients never come. */
	(void)alarm((unsigned)(warmup + duration) + 60);
	cpu_pin(scpu);
	for (i = 0; i < n; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			err(1, "accept");
		if (recv(fd, &id, sizeof(id), MSG_WAITALL) != sizeof(id) ||
		    id >= (uint32_t)n || conns[id].fd != 0)
			errx(1, "connection %d: bad id", i);
		sock_setup(fd);
		conns[id].fd = fd;
	}
	server(conns, pid);
	return (0);
}

static double
now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
cpu_pin(int cpu)
{
	cpu_set_t	set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1)
		err(1, "cpu %d", cpu);
}

static void
sock_setup(int fd)
{
	int	on = 1, fl;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1 ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		err(1, "socket set-up");
}

/* An epoll set of every connection, level-triggered. */
static int
loop_new(struct conn *conns)
{
	struct epoll_event	ev;
	int			ep, i;

	if ((ep = epoll_create1(0)) == -1)
		err(1, "epoll_create1");
	for (i = 0; i < ngames * MEMBERS; i++) {
		conns[i].game = i / MEMBERS;
		conns[i].member = i % MEMBERS;
		ev.events = EPOLLIN;
		ev.data.ptr = &conns[i];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) == -1)
			err(1, "epoll_ctl");
	}
	return (ep);
}

/* One recv(2); 0 when the peer has closed. */
static int
conn_read(struct conn *c)
{
	ssize_t	r;

	r = recv(c->fd, c->buf + c->have, sizeof(c->buf) - c->have, 0);
	if (r == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return (1);
		err(1, "recv");
	}
	c->have += r;
	return (r != 0);
}

/* The type of the next whole frame in c->buf, or -1 when there is none. */
static int
frame_take(struct conn *c)
{
	size_t	len;
	int	type;

	if (c->have - c->off >= HDR) {
		len = (size_t)c->buf[c->off] << 8 | c->buf[c->off + 1];
		type = c->buf[c->off + 2];
		if (len < HDR || len > FRAME_MAX || type >= NTYPES)
			errx(1, "bad frame");
		if (c->have - c->off >= len) {
			c->off += len;
			return (type);
		}
	}
	memmove(c->buf, c->buf + c->off, c->have - c->off);
	c->have -= c->off;
	c->off = 0;
	return (-1);
}

/* Sockets never fill: every reader drains each time epoll reports it. */
static void
frame_send(struct conn *c, int type)
{
	ssize_t	r;

	r = send(c->fd, frames[type], frame_len[type], MSG_NOSIGNAL);
	if (r == -1 && errno != EAGAIN)
		err(1, "send");
	if (r != (ssize_t)frame_len[type])
		errx(1, "send: socket full, a reader fell behind");
}

static void
server(struct conn *conns, pid_t pid)
{
	struct epoll_event	 ev[NEVENTS];
	struct rusage		 ru0, ru1;
	struct timespec		 cc0, cc1;
	struct conn		*c, *m;
	clockid_t		 cid;
	double			 t, t0 = 0, start, end, user, sys, wall, cli;
	long			 plays = 0, plays0 = 0;
	int			 ep, i, k, n, type, measuring = 0, st;

	ep = loop_new(conns);
	if (clock_getcpuclockid(pid, &cid) != 0)
		errx(1, "clock_getcpuclockid");
	start = now() + warmup;
	end = start + duration;

	for (;;) {
		t = now();
		if (!measuring && t >= start) {
			if (getrusage(RUSAGE_SELF, &ru0) == -1 ||
			    clock_gettime(cid, &cc0) == -1)
				err(1, "getrusage");
			t0 = t;
			plays0 = plays;
			measuring = 1;
		}
		if (measuring && t >= end)
			break;
		n = epoll_wait(ep, ev, NEVENTS,
		    1 + (int)(1000 * ((measuring ? end : start) - t)));
		if (n == -1 && errno != EINTR)
			err(1, "epoll_wait");
		for (i = 0; i < n; i++) {
			c = ev[i].data.ptr;
			if (!conn_read(c))
				errx(1, "a client closed its connection");
			while ((type = frame_take(c)) != -1) {
				m = &conns[c->game * MEMBERS];
				if (type == SUBMIT) {
					frame_send(c, ACCEPTED);
					plays++;
				}
				for (k = 0; k < MEMBERS; k++)
					frame_send(&m[k],
					    type == ROLL ? DICE : RESOLVED);
			}
		}
	}
	if (getrusage(RUSAGE_SELF, &ru1) == -1 ||
	    clock_gettime(cid, &cc1) == -1)
		err(1, "getrusage");
	wall = t - t0;
	plays -= plays0;
	user = tv_us(&ru1.ru_utime, &ru0.ru_utime);
	sys = tv_us(&ru1.ru_stime, &ru0.ru_stime);
	cli = (cc1.tv_sec - cc0.tv_sec) + (cc1.tv_nsec - cc0.tv_nsec) / 1e9;
	if (kill(pid, SIGTERM) == -1 || waitpid(pid, &st, 0) == -1)
		err(1, "client");
	if (plays == 0)
		errx(1, "no play completed");

	printf("{\"games\":%d,\"connections\":%d,\"rate\":%g,\"wall\":%.3f,"
	    "\"plays\":%ld,\"plays_per_sec\":%.1f,\"server_us_per_play\":%.2f,"
	    "\"server_user_us_per_play\":%.2f,\"server_sys_us_per_play\":%.2f,"
	    "\"server_util\":%.3f,\"client_util\":%.3f,"
	    "\"recvs_per_play\":2,\"sends_per_play\":%d}\n",
	    ngames, ngames * MEMBERS, rate, wall, plays, plays / wall,
	    (user + sys) / plays, user / plays, sys / plays,
	    (user + sys) / 1e6 / wall, cli / wall, 2 * MEMBERS + 1);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

static void
client(struct conn *conns)
{
	struct epoll_event	 ev[NEVENTS];
	struct conn		*c;
	struct game		*g;
	double			 t, next, gap = rate > 0 ? ngames / rate : 0;
	int			 ep, i, n, type, timeo;

	ep = loop_new(conns);
	/* Paced games start spread over one gap, as bench/loadgen.mjs's. */
	t = now();
	for (i = 0; i < ngames; i++) {
		games[i].due = t + gap * i / ngames;
		games[i].idle = 1;
	}

	for (;;) {
		t = now();
		next = t + 1;
		for (i = 0; i < ngames; i++) {
			g = &games[i];
			if (!g->idle)
				continue;
			if (g->due <= t) {
				g->idle = 0;
				frame_send(&conns[i * MEMBERS], ROLL);
			} else if (g->due < next)
				next = g->due;
		}
		timeo = 1 + (int)(1000 * (next - t));
		if ((n = epoll_wait(ep, ev, NEVENTS, timeo)) == -1 &&
		    errno != EINTR)
			err(1, "epoll_wait");
		for (i = 0; i < n; i++) {
			c = ev[i].data.ptr;
			if (!conn_read(c))
				return;		/* the server is done */
			while ((type = frame_take(c)) != -1) {
				if (c->member != 0)
					continue;
				if (type == DICE)
					frame_send(c, SUBMIT);
				else if (type == RESOLVED && gap == 0)
					frame_send(c, ROLL);
				else if (type == RESOLVED) {
					g = &games[c->game];
					g->due = g->due + gap > t - gap ?
					    g->due + gap : t - gap;
					g->idle = 1;
				}
			}
		}
	}
}

static double
tv_us(const struct timeval *a, const struct timeval *b)
{
	return ((a->tv_sec - b->tv_sec) * 1e6 + (a->tv_usec - b->tv_usec));
}

static double
knob(const char *s, double min, double max)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		errx(1, "%s: not a number in [%g, %g]", s, min, max);
	return (v);
}
