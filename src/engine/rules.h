/*
 * The resolution chart as data.  A text table (conf/rules.txt, compiled
 * in and replaceable at run time) says, for an outcome, the runners on
 * base, the fielding context and the lead-runner call, where the batter
 * and every runner go.  This module parses and checks such a table,
 * indexes it and turns one row into concrete movements.  It owns the
 * only global mutable state of the engine: the active table.
 */
#ifndef PD_ENGINE_RULES_H
#define PD_ENGINE_RULES_H

#include <stddef.h>

#include "engine/error.h"
#include "engine/outcome.h"

/* Fielding context of a play, most specific first in lookups. */
enum pd_ctx {
	PD_CTX_NORMAL,		/* < 2 outs, infield normal/back/dp */
	PD_CTX_IN,		/* < 2 outs, infield in */
	PD_CTX_HITRUN,		/* < 2 outs, hit-and-run on */
	PD_CTX_HITRUN_IN,	/* both */
	PD_CTX_TWO_OUT,		/* two outs before the play */
	PD_CTX_COUNT
};
#define PD_CTX_ANY		(-1)

enum pd_lead {
	PD_LEAD_NONE,
	PD_LEAD_SAFE,
	PD_LEAD_OUT,
	PD_LEAD_COUNT
};

/* Who a move names. */
#define PD_WHO_BATTER		0	/* 1..3: the runner on that base */
#define PD_WHO_RUNNER		4	/* the runner named by runner_base */
#define PD_WHO_ALL		5	/* every runner not named otherwise */

enum pd_dest {
	PD_DEST_ABS,		/* to base val */
	PD_DEST_REL,		/* val bases beyond the origin */
	PD_DEST_FORCE		/* forced runners one base, others hold */
};

enum pd_mvout {
	PD_MV_SAFE,
	PD_MV_OUT,		/* put out, not forced (tag, caught fly) */
	PD_MV_FORCE_OUT		/* force out */
};

/* Row flags. */
#define PD_RF_DP		0x01	/* grounded into a double play */
#define PD_RF_ERR		0x02	/* an error on the play */
#define PD_RF_SF		0x04	/* a run scoring is a sacrifice fly */
#define PD_RF_SH		0x08	/* a runner advancing: sacrifice bunt */
#define PD_RF_PB		0x10	/* advances are passed-ball advances */
#define PD_RF_NORBI		0x20	/* no RBI on this play */

#define PD_RULE_MOVES		8
#define PD_RUNNERS_ANY		(-1)

struct pd_rule_move {
	signed char	who;
	signed char	dest;
	signed char	val;
	signed char	out;
};

struct pd_rule {
	int			outcome;
	int			runners;	/* base mask or PD_RUNNERS_ANY */
	int			ctx;		/* enum pd_ctx or PD_CTX_ANY */
	int			lead;
	int			nmoves;
	struct pd_rule_move	mv[PD_RULE_MOVES];
	unsigned int		flags;
	int			line;
};

struct pd_rules {
	struct pd_rule	*rows;
	size_t		 nrows;
	size_t		 cap;
	int		 same_as[PD_O_COUNT];
	short		 index[PD_O_COUNT][8][PD_CTX_COUNT][PD_LEAD_COUNT];
};

/* One concrete movement: from 0 is the batter, to 4 is home. */
struct pd_move {
	signed char	from;
	signed char	to;
	signed char	out;		/* enum pd_mvout */
};

struct pd_resolved {
	int		nmoves;		/* runners, lead first, then batter */
	struct pd_move	mv[4];
	unsigned int	flags;
	int		line;		/* the row used, for diagnostics */
};

extern const char	pd_rules_builtin_text[] __attribute__((weak));
#define PD_RULES_FILE		"conf/rules.txt"

int	pd_rules_parse(struct pd_rules *, const char *, struct pd_error *);
void	pd_rules_free(struct pd_rules *);
int	pd_rules_load_file(const char *, struct pd_error *);
int	pd_rules_load_text(const char *, struct pd_error *);
int	pd_rules_use_builtin(struct pd_error *);
const struct pd_rules	*pd_rules_active(void);

const struct pd_rule	*pd_rules_lookup(const struct pd_rules *, int, int,
			    int, int);
int	pd_rules_resolve(const struct pd_rules *, int, int, int, int, int,
	    struct pd_resolved *, struct pd_error *);

#endif
