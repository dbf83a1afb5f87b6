/* service/connmgr: sessions, rooms, roles, and the disconnect callback. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "service/connmgr.h"

static struct pd_connmgr	*m;

static void
init(void)
{
	cr_assert_not_null(m = pd_connmgr_new());
}

static void
fini(void)
{
	pd_connmgr_free(m);
}

TestSuite(connmgr, .init = init, .fini = fini);

struct calls {
	int	n;
	char	game[8][CONNMGR_GAME_MAX];
	char	user[8][CONNMGR_ID_MAX];
};

static void
left(void *arg, const char *game, const char *user)
{
	struct calls	*c = arg;

	cr_assert_lt(c->n, 8);
	(void)snprintf(c->game[c->n], sizeof(c->game[0]), "%s", game);
	(void)snprintf(c->user[c->n], sizeof(c->user[0]), "%s", user);
	c->n++;
	/* The record is still there while the room is told. */
	cr_expect_not_null(pd_connmgr_user(m, "s1"));
}

Test(connmgr, connect_and_lookup)
{
	cr_assert_eq(pd_connmgr_connect(m, "s1", "alice"), 0);
	cr_assert_eq(pd_connmgr_connect(m, "s2", "bob"), 0);
	cr_expect_str_eq(pd_connmgr_user(m, "s1"), "alice");
	cr_expect_str_eq(pd_connmgr_user(m, "s2"), "bob");
	cr_expect_null(pd_connmgr_user(m, "s3"));
	cr_expect_eq(pd_connmgr_session_count(m), 2);
	/* A sid is unique. */
	cr_expect_eq(pd_connmgr_connect(m, "s1", "carol"), -1);
	cr_expect_str_eq(pd_connmgr_user(m, "s1"), "alice");
	cr_expect_eq(pd_connmgr_session_count(m), 2);
}

Test(connmgr, join_leave_and_roles)
{
	const char	*out[4];

	cr_assert_eq(pd_connmgr_connect(m, "s1", "alice"), 0);
	cr_assert_eq(pd_connmgr_connect(m, "s2", "bob"), 0);
	cr_expect_eq(pd_connmgr_join(m, "s1", "g1", PD_ROLE_PLAYER), 0);
	cr_expect_eq(pd_connmgr_join(m, "s2", "g1", PD_ROLE_SPECTATOR), 0);
	cr_expect_eq(pd_connmgr_game_count(m), 1);
	cr_expect_eq(pd_connmgr_role(m, "s1", "g1"), PD_ROLE_PLAYER);
	cr_expect_eq(pd_connmgr_role(m, "s2", "g1"), PD_ROLE_SPECTATOR);
	cr_expect_eq(pd_connmgr_role(m, "s1", "g2"), PD_ROLE_NONE);
	cr_expect_eq(pd_connmgr_role(m, "nobody", "g1"), PD_ROLE_NONE);

	/* Joining again changes the role, not the membership. */
	cr_expect_eq(pd_connmgr_join(m, "s2", "g1", PD_ROLE_PLAYER), 0);
	cr_expect_eq(pd_connmgr_role(m, "s2", "g1"), PD_ROLE_PLAYER);
	cr_expect_eq(pd_connmgr_participants(m, "g1", out, 4), 2);

	cr_expect_eq(pd_connmgr_leave(m, "s1", "g1"), 0);
	cr_expect_eq(pd_connmgr_role(m, "s1", "g1"), PD_ROLE_NONE);
	cr_expect_eq(pd_connmgr_leave(m, "s1", "g1"), -1);	/* not in it */
	cr_expect_eq(pd_connmgr_participants(m, "g1", out, 4), 1);
	cr_expect_str_eq(out[0], "s2");
	/* The last member leaving removes the room. */
	cr_expect_eq(pd_connmgr_leave(m, "s2", "g1"), 0);
	cr_expect_eq(pd_connmgr_game_count(m), 0);
	cr_expect_eq(pd_connmgr_participants(m, "g1", out, 4), 0);
}

Test(connmgr, unknown_sessions_are_refused)
{
	cr_expect_eq(pd_connmgr_join(m, "ghost", "g1", PD_ROLE_PLAYER), -1);
	cr_expect_eq(pd_connmgr_game_count(m), 0);
	cr_expect_eq(pd_connmgr_leave(m, "ghost", "g1"), -1);
	pd_connmgr_disconnect(m, "ghost", NULL, NULL);	/* harmless */
	cr_expect_eq(pd_connmgr_session_count(m), 0);
}

Test(connmgr, participants_in_join_order_and_truncated)
{
	const char	*out[2];
	char		 sid[16];
	int		 i;

	for (i = 0; i < 5; i++) {
		(void)snprintf(sid, sizeof(sid), "s%d", i);
		cr_assert_eq(pd_connmgr_connect(m, sid, "u"), 0);
		cr_assert_eq(pd_connmgr_join(m, sid, "g", PD_ROLE_SPECTATOR), 0);
	}
	/* All five counted, the first two returned. */
	cr_expect_eq(pd_connmgr_participants(m, "g", out, 2), 5);
	cr_expect_str_eq(out[0], "s0");
	cr_expect_str_eq(out[1], "s1");
	cr_expect_eq(pd_connmgr_participants(m, "g", NULL, 0), 5);
}

Test(connmgr, disconnect_calls_back_once_per_game)
{
	struct calls	 c;
	const char	*out[4];

	memset(&c, 0, sizeof(c));
	cr_assert_eq(pd_connmgr_connect(m, "s1", "alice"), 0);
	cr_assert_eq(pd_connmgr_connect(m, "s2", "bob"), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g1", PD_ROLE_PLAYER), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g2", PD_ROLE_SPECTATOR), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g1", PD_ROLE_SPECTATOR), 0);
	cr_assert_eq(pd_connmgr_join(m, "s2", "g2", PD_ROLE_PLAYER), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g3", PD_ROLE_PLAYER), 0);
	cr_expect_eq(pd_connmgr_game_count(m), 3);

	pd_connmgr_disconnect(m, "s1", left, &c);
	cr_assert_eq(c.n, 3);
	cr_expect_str_eq(c.game[0], "g1");
	cr_expect_str_eq(c.game[1], "g2");
	cr_expect_str_eq(c.game[2], "g3");
	cr_expect_str_eq(c.user[0], "alice");
	cr_expect_str_eq(c.user[2], "alice");

	cr_expect_null(pd_connmgr_user(m, "s1"));
	cr_expect_eq(pd_connmgr_session_count(m), 1);
	cr_expect_eq(pd_connmgr_game_count(m), 1);	/* g2 keeps bob */
	cr_expect_eq(pd_connmgr_participants(m, "g2", out, 4), 1);
	cr_expect_str_eq(out[0], "s2");

	/* A second disconnect of the same sid calls nothing. */
	pd_connmgr_disconnect(m, "s1", left, &c);
	cr_expect_eq(c.n, 3);
	/* The sid can be used again. */
	cr_expect_eq(pd_connmgr_connect(m, "s1", "carol"), 0);
	cr_expect_eq(pd_connmgr_games_of(m, "s1", out, 4), 0);
}

Test(connmgr, disconnect_without_games_or_callback)
{
	cr_assert_eq(pd_connmgr_connect(m, "s1", "alice"), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g1", PD_ROLE_PLAYER), 0);
	pd_connmgr_disconnect(m, "s1", NULL, NULL);
	cr_expect_eq(pd_connmgr_game_count(m), 0);
	cr_expect_eq(pd_connmgr_session_count(m), 0);
}

Test(connmgr, user_sids_and_games_of)
{
	const char	*out[4];
	size_t		 n, i;
	int		 seen1, seen3;

	cr_assert_eq(pd_connmgr_connect(m, "s1", "alice"), 0);
	cr_assert_eq(pd_connmgr_connect(m, "s2", "bob"), 0);
	cr_assert_eq(pd_connmgr_connect(m, "s3", "alice"), 0);
	n = pd_connmgr_user_sids(m, "alice", out, 4);
	cr_assert_eq(n, 2);
	seen1 = seen3 = 0;
	for (i = 0; i < n; i++) {
		seen1 |= strcmp(out[i], "s1") == 0;
		seen3 |= strcmp(out[i], "s3") == 0;
	}
	cr_expect(seen1 && seen3);
	cr_expect_eq(pd_connmgr_user_sids(m, "alice", out, 1), 2);
	cr_expect_eq(pd_connmgr_user_sids(m, "nobody", out, 4), 0);

	cr_assert_eq(pd_connmgr_join(m, "s1", "g1", PD_ROLE_PLAYER), 0);
	cr_assert_eq(pd_connmgr_join(m, "s1", "g2", PD_ROLE_PLAYER), 0);
	cr_expect_eq(pd_connmgr_games_of(m, "s1", out, 4), 2);
	cr_expect_str_eq(out[0], "g1");
	cr_expect_str_eq(out[1], "g2");
	cr_expect_eq(pd_connmgr_games_of(m, "s2", out, 4), 0);
	cr_expect_eq(pd_connmgr_games_of(m, "ghost", out, 4), 0);
}

Test(connmgr, bounds)
{
	char	longid[CONNMGR_ID_MAX + 1], game[CONNMGR_GAME_MAX + 1];

	memset(longid, 'x', sizeof(longid) - 1);
	longid[CONNMGR_ID_MAX] = '\0';		/* 128 chars: too long */
	cr_expect_eq(pd_connmgr_connect(m, longid, "u"), -1);
	cr_expect_eq(pd_connmgr_connect(m, "s", longid), -1);
	longid[CONNMGR_ID_MAX - 1] = '\0';	/* 127 fit */
	cr_expect_eq(pd_connmgr_connect(m, longid, longid), 0);
	cr_expect_str_eq(pd_connmgr_user(m, longid), longid);

	memset(game, 'g', sizeof(game) - 1);
	game[CONNMGR_GAME_MAX] = '\0';
	cr_expect_eq(pd_connmgr_join(m, longid, game, PD_ROLE_PLAYER), -1);
	game[CONNMGR_GAME_MAX - 1] = '\0';	/* a UUID (36) fits easily */
	cr_expect_eq(pd_connmgr_join(m, longid, game, PD_ROLE_PLAYER), 0);
	cr_expect_eq(pd_connmgr_role(m, longid, game), PD_ROLE_PLAYER);
	cr_expect_eq(pd_connmgr_connect(m, "", "u"), 0);	/* allowed */
}

Test(connmgr, many_sessions_and_games)
{
	char	sid[32], game[32];
	int	i;

	for (i = 0; i < 5000; i++) {
		(void)snprintf(sid, sizeof(sid), "sid-%d", i);
		(void)snprintf(game, sizeof(game), "game-%d", i % 300);
		cr_assert_eq(pd_connmgr_connect(m, sid, "u"), 0);
		cr_assert_eq(pd_connmgr_join(m, sid, game, PD_ROLE_SPECTATOR),
		    0);
	}
	cr_expect_eq(pd_connmgr_session_count(m), 5000);
	cr_expect_eq(pd_connmgr_game_count(m), 300);
	cr_expect_eq(pd_connmgr_participants(m, "game-7", NULL, 0), 17);
	for (i = 0; i < 5000; i += 2) {
		(void)snprintf(sid, sizeof(sid), "sid-%d", i);
		pd_connmgr_disconnect(m, sid, NULL, NULL);
	}
	cr_expect_eq(pd_connmgr_session_count(m), 2500);
	cr_expect_eq(pd_connmgr_game_count(m), 150);
	/* The rest goes with pd_connmgr_free() in fini (ASan checks leaks). */
}

Test(connmgr, free_null)
{
	pd_connmgr_free(NULL);
}
