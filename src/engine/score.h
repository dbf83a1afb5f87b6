/*
 * The official scorer: keeps the box score by MLB Rule 9 from explicit
 * movements.  It knows nothing of the Strat chart; it is fed, play by
 * play, the batter's event, every runner's movement and every out, and
 * is told when halves begin and end and who pitches, so it can as well
 * be fed real play-by-play.  Players are indexes (0..PD_SC_PLAYERS-1)
 * into a side (0 away, 1 home).
 */
#ifndef PD_ENGINE_SCORE_H
#define PD_ENGINE_SCORE_H

#include <stdint.h>

#include "engine/error.h"

#define PD_SC_PLAYERS		40
#define PD_SC_INNINGS		99	/* later innings add to the last */

enum pd_sc_event {
	PD_SC_SINGLE,
	PD_SC_DOUBLE,
	PD_SC_TRIPLE,
	PD_SC_HOMERUN,
	PD_SC_WALK,
	PD_SC_IBB,
	PD_SC_HBP,
	PD_SC_STRIKEOUT,
	PD_SC_OUT,		/* batted-ball out or fielder's choice */
	PD_SC_ERROR,		/* batter reached on an error */
	PD_SC_SAC_BUNT,
	PD_SC_SAC_FLY,
	/* Runner events: no plate appearance. */
	PD_SC_WILD_PITCH,
	PD_SC_PASSED_BALL,
	PD_SC_BALK,
	PD_SC_STOLEN_BASE,
	PD_SC_CAUGHT_STEALING,
	PD_SC_PICKOFF,
	PD_SC_EVENT_COUNT
};

/* Play flags. */
#define PD_SCF_GIDP		0x01	/* grounded into a double play */
#define PD_SCF_NO_RBI		0x02	/* runs on this play are not RBI */
#define PD_SCF_UNEARNED		0x04	/* advances caused by a misplay */

struct pd_sc_move {
	int		from;		/* 0 batter, 1-3 */
	int		to;		/* 1-4, or the base put out at */
	int		out;
};

struct pd_sc_play {
	int			event;
	int			batter;		/* batting side's index */
	int			flags;
	int			errors;		/* charged to the fielders */
	int			nmoves;
	struct pd_sc_move	moves[4];
};

/*
 * One player's line in one game.  Two bytes each: no count in a game
 * comes near 32767, and a game holds these for every card of both
 * rosters, a third of a cached game.
 */
typedef int16_t	pd_stat;

struct pd_bat_stats {
	pd_stat	pa, ab, r, h, doubles, triples, hr, rbi, bb, so, hbp;
	pd_stat	sf, sh, sb, cs, gidp, lob;
};

struct pd_pit_stats {
	pd_stat	outs, bf, h, r, er, bb, so, hr, hbp, wp;
	pd_stat	order;		/* 1.. order of appearance; 0 never */
	pd_stat	entered;	/* entry situation recorded */
	pd_stat	entry_lead;	/* his side's lead at entry */
	pd_stat	entry_runners;
	pd_stat	decision;	/* 0, 'W', 'L', 'S' */
};

struct pd_sc_runner {
	int	player;		/* -1: base empty */
	int	pitcher;	/* the pitcher responsible for him */
	int	rbase;		/* base in the errorless inning; 0 phantom */
};

struct pd_sc_side {
	struct pd_bat_stats	bat[PD_SC_PLAYERS];
	struct pd_pit_stats	pit[PD_SC_PLAYERS];
	int			runs_by_inning[PD_SC_INNINGS];
	int			ninnings;	/* innings batted */
	int			r, h, e, lob;
	int			pitcher;	/* current, -1 none */
	int			starter;
	int			npitchers;
	int			lead_pitcher;	/* of record at the go-ahead */
	int			lead_loser;	/* charged with the go-ahead run */
};

struct pd_scorer {
	struct pd_sc_side	side[2];
	int			inning;
	int			batting;	/* side at bat */
	int			in_half;
	int			outs;
	int			recon_outs;	/* outs without the errors */
	struct pd_sc_runner	base[4];	/* 1..3 */
	int			final;
	int			winner;		/* side, -1 */
};

void	pd_score_init(struct pd_scorer *);
void	pd_score_pitcher(struct pd_scorer *, int, int);
void	pd_score_half_begin(struct pd_scorer *, int, int);
int	pd_score_play(struct pd_scorer *, const struct pd_sc_play *,
	    struct pd_error *);
void	pd_score_half_end(struct pd_scorer *);
void	pd_score_replace_runner(struct pd_scorer *, int, int);
void	pd_score_game_end(struct pd_scorer *);
int	pd_score_is_pa(int);

#endif
