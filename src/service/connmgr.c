/*
 * connmgr: the connection manager, see connmgr.h.
 *
 * Sizes are small (a worker holds thousands of sockets, a game a dozen
 * members), so sessions and games sit in hash buckets and memberships in
 * two intrusive lists: one per session, one per game.
 */
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "service/connmgr.h"
#include "util/hash.h"

#define BUCKETS		1024

struct member;

struct session {
	char			 sid[CONNMGR_ID_MAX];
	char			 user[CONNMGR_ID_MAX];
	TAILQ_HEAD(, member)	 games;
	LIST_ENTRY(session)	 hash;
};

struct game {
	char			 id[CONNMGR_GAME_MAX];
	TAILQ_HEAD(, member)	 members;
	size_t			 count;
	LIST_ENTRY(game)	 hash;
};

struct member {
	struct session		*session;
	struct game		*game;
	enum pd_role		 role;
	TAILQ_ENTRY(member)	 session_link;
	TAILQ_ENTRY(member)	 game_link;
};

struct pd_connmgr {
	LIST_HEAD(, session)	 sessions[BUCKETS];
	LIST_HEAD(, game)	 games[BUCKETS];
	size_t			 nsessions;
	size_t			 ngames;
};

static struct session	*session_find(const struct pd_connmgr *, const char *);
static struct game	*game_find(const struct pd_connmgr *, const char *);
static struct member	*member_find(const struct session *, const char *);
static void		 member_remove(struct pd_connmgr *, struct member *);

struct pd_connmgr *
pd_connmgr_new(void)
{
	struct pd_connmgr	*m;
	size_t			 i;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return (NULL);
	for (i = 0; i < BUCKETS; i++) {
		LIST_INIT(&m->sessions[i]);
		LIST_INIT(&m->games[i]);
	}
	return (m);
}

void
pd_connmgr_free(struct pd_connmgr *m)
{
	struct session	*s;
	size_t		 i;

	if (m == NULL)
		return;
	for (i = 0; i < BUCKETS; i++) {
		while ((s = LIST_FIRST(&m->sessions[i])) != NULL)
			pd_connmgr_disconnect(m, s->sid, NULL, NULL);
	}
	free(m);
}

static struct session *
session_find(const struct pd_connmgr *m, const char *sid)
{
	struct session	*s;

	LIST_FOREACH(s, &m->sessions[(pd_hash_str(sid) % BUCKETS)], hash) {
		if (strcmp(s->sid, sid) == 0)
			return (s);
	}
	return (NULL);
}

static struct game *
game_find(const struct pd_connmgr *m, const char *id)
{
	struct game	*g;

	LIST_FOREACH(g, &m->games[(pd_hash_str(id) % BUCKETS)], hash) {
		if (strcmp(g->id, id) == 0)
			return (g);
	}
	return (NULL);
}

static struct member *
member_find(const struct session *s, const char *game_id)
{
	struct member	*mb;

	TAILQ_FOREACH(mb, &s->games, session_link) {
		if (strcmp(mb->game->id, game_id) == 0)
			return (mb);
	}
	return (NULL);
}

int
pd_connmgr_connect(struct pd_connmgr *m, const char *sid, const char *user)
{
	struct session	*s;

	if (strlen(sid) >= CONNMGR_ID_MAX || strlen(user) >= CONNMGR_ID_MAX ||
	    session_find(m, sid) != NULL)
		return (-1);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (-1);
	memcpy(s->sid, sid, strlen(sid) + 1);
	memcpy(s->user, user, strlen(user) + 1);
	TAILQ_INIT(&s->games);
	LIST_INSERT_HEAD(&m->sessions[(pd_hash_str(sid) % BUCKETS)], s, hash);
	m->nsessions++;
	return (0);
}

static void
member_remove(struct pd_connmgr *m, struct member *mb)
{
	struct game	*g = mb->game;

	TAILQ_REMOVE(&mb->session->games, mb, session_link);
	TAILQ_REMOVE(&g->members, mb, game_link);
	free(mb);
	if (--g->count == 0) {
		LIST_REMOVE(g, hash);
		free(g);
		m->ngames--;
	}
}

void
pd_connmgr_disconnect(struct pd_connmgr *m, const char *sid,
    void (*left)(void *, const char *, const char *), void *arg)
{
	struct session	*s;
	struct member	*mb;

	if ((s = session_find(m, sid)) == NULL)
		return;
	while ((mb = TAILQ_FIRST(&s->games)) != NULL) {
		if (left != NULL)
			left(arg, mb->game->id, s->user);
		member_remove(m, mb);
	}
	LIST_REMOVE(s, hash);
	m->nsessions--;
	free(s);
}

int
pd_connmgr_join(struct pd_connmgr *m, const char *sid, const char *game_id,
    enum pd_role role)
{
	struct session	*s;
	struct game	*g;
	struct member	*mb;

	if ((s = session_find(m, sid)) == NULL ||
	    strlen(game_id) >= CONNMGR_GAME_MAX)
		return (-1);
	if ((mb = member_find(s, game_id)) != NULL) {
		mb->role = role;
		return (0);
	}
	if ((g = game_find(m, game_id)) == NULL) {
		if ((g = calloc(1, sizeof(*g))) == NULL)
			return (-1);
		memcpy(g->id, game_id, strlen(game_id) + 1);
		TAILQ_INIT(&g->members);
		LIST_INSERT_HEAD(&m->games[(pd_hash_str(game_id) % BUCKETS)], g, hash);
		m->ngames++;
	}
	if ((mb = calloc(1, sizeof(*mb))) == NULL) {
		if (g->count == 0) {
			LIST_REMOVE(g, hash);
			free(g);
			m->ngames--;
		}
		return (-1);
	}
	mb->session = s;
	mb->game = g;
	mb->role = role;
	TAILQ_INSERT_TAIL(&s->games, mb, session_link);
	TAILQ_INSERT_TAIL(&g->members, mb, game_link);
	g->count++;
	return (0);
}

int
pd_connmgr_leave(struct pd_connmgr *m, const char *sid, const char *game_id)
{
	struct session	*s;
	struct member	*mb;

	if ((s = session_find(m, sid)) == NULL ||
	    (mb = member_find(s, game_id)) == NULL)
		return (-1);
	member_remove(m, mb);
	return (0);
}

const char *
pd_connmgr_user(const struct pd_connmgr *m, const char *sid)
{
	struct session	*s;

	return ((s = session_find(m, sid)) != NULL ? s->user : NULL);
}

enum pd_role
pd_connmgr_role(const struct pd_connmgr *m, const char *sid,
    const char *game_id)
{
	struct session	*s;
	struct member	*mb;

	if ((s = session_find(m, sid)) == NULL ||
	    (mb = member_find(s, game_id)) == NULL)
		return (PD_ROLE_NONE);
	return (mb->role);
}

size_t
pd_connmgr_participants(const struct pd_connmgr *m, const char *game_id,
    const char **out, size_t max)
{
	struct game	*g;
	struct member	*mb;
	size_t		 n;

	if ((g = game_find(m, game_id)) == NULL)
		return (0);
	n = 0;
	TAILQ_FOREACH(mb, &g->members, game_link) {
		if (n < max)
			out[n] = mb->session->sid;
		n++;
	}
	return (n);
}

size_t
pd_connmgr_user_sids(const struct pd_connmgr *m, const char *user,
    const char **out, size_t max)
{
	struct session	*s;
	size_t		 i, n;

	n = 0;
	for (i = 0; i < BUCKETS; i++) {
		LIST_FOREACH(s, &m->sessions[i], hash) {
			if (strcmp(s->user, user) != 0)
				continue;
			if (n < max)
				out[n] = s->sid;
			n++;
		}
	}
	return (n);
}

size_t
pd_connmgr_games_of(const struct pd_connmgr *m, const char *sid,
    const char **out, size_t max)
{
	struct session	*s;
	struct member	*mb;
	size_t		 n;

	if ((s = session_find(m, sid)) == NULL)
		return (0);
	n = 0;
	TAILQ_FOREACH(mb, &s->games, session_link) {
		if (n < max)
			out[n] = mb->game->id;
		n++;
	}
	return (n);
}

size_t
pd_connmgr_session_count(const struct pd_connmgr *m)
{
	return (m->nsessions);
}

size_t
pd_connmgr_game_count(const struct pd_connmgr *m)
{
	return (m->ngames);
}
