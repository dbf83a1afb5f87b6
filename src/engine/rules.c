/*
 * Parsing, checking and applying the resolution chart.
 *
 * A row is "outcome runners context lead move... flag...".  Rows are
 * checked when loaded: every row is simulated on every base state it
 * applies to, and every outcome must resolve in every base state and
 * context, so a league's replacement chart fails at load, not mid-game.
 * Lookups then go through a precomputed index.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rules.h"

#define LINE_MAX_TOKENS		24

static int	rules_parse_line(struct pd_rules *, char *, int,
		    struct pd_error *);
static int	rules_parse_runners(const char *, int *);
static int	rules_parse_ctx(const char *, int *);
static int	rules_parse_lead(const char *, int *);
static int	rules_parse_move(const char *, struct pd_rule_move *);
static int	rules_parse_flag(const char *, unsigned int *);
static int	rules_push(struct pd_rules *, const struct pd_rule *);
static int	rules_build_index(struct pd_rules *, struct pd_error *);
static int	rules_check_rows(struct pd_rules *, struct pd_error *);
static int	rules_find(const struct pd_rules *, int, int, int, int);
static int	rules_apply(const struct pd_rule *, int, int, int,
		    struct pd_resolved *, const char **);
static int	rule_dest(const struct pd_rule_move *, int);

static struct pd_rules	active;
static int		active_loaded;

/* Fallback chains: the context tried first, then the more general. */
static const int ctx_chain[PD_CTX_COUNT][4] = {
	[PD_CTX_NORMAL] =	{ PD_CTX_NORMAL, -2, -2, -2 },
	[PD_CTX_IN] =		{ PD_CTX_IN, PD_CTX_NORMAL, -2, -2 },
	[PD_CTX_HITRUN] =	{ PD_CTX_HITRUN, PD_CTX_NORMAL, -2, -2 },
	[PD_CTX_HITRUN_IN] =	{ PD_CTX_HITRUN_IN, PD_CTX_IN,
				  PD_CTX_NORMAL, -2 },
	[PD_CTX_TWO_OUT] =	{ PD_CTX_TWO_OUT, PD_CTX_NORMAL, -2, -2 },
};

static const char *ctx_names[PD_CTX_COUNT] = {
	"normal", "in", "hitrun", "hitrun_in", "two_out"
};

int
pd_rules_parse(struct pd_rules *r, const char *text, struct pd_error *err)
{
	const char	*p, *nl;
	char		 line[512];
	size_t		 len;
	int		 lineno, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < PD_O_COUNT; i++)
		r->same_as[i] = i;

	lineno = 0;
	for (p = text; *p != '\0'; p = (*nl == '\0') ? nl : nl + 1) {
		lineno++;
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (len >= sizeof(line)) {
			pd_rules_free(r);
			return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
			    "rules line %d: too long", lineno));
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (rules_parse_line(r, line, lineno, err) == PD_ERR) {
			pd_rules_free(r);
			return (PD_ERR);
		}
	}

	if (rules_build_index(r, err) == PD_ERR ||
	    rules_check_rows(r, err) == PD_ERR) {
		pd_rules_free(r);
		return (PD_ERR);
	}
	return (PD_OK);
}

void
pd_rules_free(struct pd_rules *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
	r->cap = 0;
}

int
pd_rules_load_text(const char *text, struct pd_error *err)
{
	struct pd_rules		fresh;

	if (pd_rules_parse(&fresh, text, err) == PD_ERR)
		return (PD_ERR);
	if (active_loaded)
		pd_rules_free(&active);
	active = fresh;
	active_loaded = 1;
	return (PD_OK);
}

int
pd_rules_load_file(const char *path, struct pd_error *err)
{
	FILE		*fp;
	char		*buf;
	long		 sz;
	size_t		 n;
	int		 rc;

	if ((fp = fopen(path, "r")) == NULL)
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "cannot open %s", path));
	if (fseek(fp, 0, SEEK_END) == -1 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 || sz > 1024 * 1024) {
		(void)fclose(fp);
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "cannot size %s", path));
	}
	if ((buf = malloc((size_t)sz + 1)) == NULL) {
		(void)fclose(fp);
		return (pd_error_set(err, PD_E_INTERNAL, NULL, "out of memory"));
	}
	n = fread(buf, 1, (size_t)sz, fp);
	(void)fclose(fp);
	buf[n] = '\0';
	rc = pd_rules_load_text(buf, err);
	free(buf);
	return (rc);
}

/*
 * The Makefile compiles conf/rules.txt in; a build without that step
 * (kodev compiles src/ only) reads the same file at run time instead.
 */
int
pd_rules_use_builtin(struct pd_error *err)
{
	if (pd_rules_builtin_text == NULL)
		return (pd_rules_load_file(PD_RULES_FILE, err));
	return (pd_rules_load_text(pd_rules_builtin_text, err));
}

/* The active table; the built-in chart until a league loads its own. */
const struct pd_rules *
pd_rules_active(void)
{
	if (!active_loaded && pd_rules_use_builtin(NULL) == PD_ERR)
		return (NULL);
	return (&active);
}

const struct pd_rule *
pd_rules_lookup(const struct pd_rules *r, int outcome, int mask, int ctx,
    int lead)
{
	int		idx;

	if (outcome < 0 || outcome >= PD_O_COUNT || mask < 0 || mask > 7 ||
	    ctx < 0 || ctx >= PD_CTX_COUNT || lead < 0 ||
	    lead >= PD_LEAD_COUNT)
		return (NULL);
	idx = r->index[outcome][mask][ctx][lead];
	if (idx < 0)
		return (NULL);
	return (&r->rows[idx]);
}

/*
 * Resolve an outcome into movements.  runner_base names the runner of a
 * runner event (0 otherwise).  Runners come lead first, then the batter.
 */
int
pd_rules_resolve(const struct pd_rules *r, int outcome, int mask, int ctx,
    int lead, int runner_base, struct pd_resolved *res, struct pd_error *err)
{
	const struct pd_rule		*row;
	const struct pd_outcome_info	*oi;
	const char			*why;

	if ((oi = pd_outcome_info(outcome)) == NULL)
		return (pd_error_set(err, PD_E_INVALID_OUTCOME, "outcome",
		    "Invalid outcome"));
	if ((row = pd_rules_lookup(r, outcome, mask, ctx, lead)) == NULL)
		return (pd_error_set(err, PD_E_INTERNAL, NULL,
		    "no rule for %s", oi->name));
	if (rules_apply(row, mask, runner_base, oi->kind != PD_OK_RUNNER,
	    res, &why) == PD_ERR) {
		return (pd_error_set(err,
		    runner_base ? PD_E_INVALID_OUTCOME : PD_E_INTERNAL,
		    runner_base ? "runner_base" : NULL,
		    "%s: %s", oi->name, why));
	}
	return (PD_OK);
}

static int
rules_parse_line(struct pd_rules *r, char *line, int lineno,
    struct pd_error *err)
{
	struct pd_rule	 row;
	char		*tok[LINE_MAX_TOKENS], *p, *save;
	int		 n, i, a, b;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	n = 0;
	for (p = strtok_r(line, " \t\r", &save); p != NULL;
	    p = strtok_r(NULL, " \t\r", &save)) {
		if (n == LINE_MAX_TOKENS)
			return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
			    "rules line %d: too many tokens", lineno));
		tok[n++] = p;
	}
	if (n == 0)
		return (PD_OK);

	if (strcmp(tok[0], "same") == 0) {
		if (n != 3 || (a = pd_outcome_lookup(tok[1])) < 0 ||
		    (b = pd_outcome_lookup(tok[2])) < 0 || a == b)
			return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
			    "rules line %d: bad 'same' line", lineno));
		r->same_as[a] = b;
		return (PD_OK);
	}

	if (n < 4)
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "rules line %d: expected outcome runners context lead",
		    lineno));
	memset(&row, 0, sizeof(row));
	row.line = lineno;
	if ((row.outcome = pd_outcome_lookup(tok[0])) < 0)
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "rules line %d: unknown outcome %s", lineno, tok[0]));
	if (rules_parse_runners(tok[1], &row.runners) == PD_ERR ||
	    rules_parse_ctx(tok[2], &row.ctx) == PD_ERR ||
	    rules_parse_lead(tok[3], &row.lead) == PD_ERR)
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "rules line %d: bad runners, context or lead", lineno));

	for (i = 4; i < n; i++) {
		if (strchr(tok[i], '=') != NULL) {
			if (row.nmoves == PD_RULE_MOVES ||
			    rules_parse_move(tok[i], &row.mv[row.nmoves]) ==
			    PD_ERR)
				return (pd_error_set(err, PD_E_INVALID_RULES,
				    NULL, "rules line %d: bad move %s",
				    lineno, tok[i]));
			row.nmoves++;
		} else if (rules_parse_flag(tok[i], &row.flags) == PD_ERR) {
			return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
			    "rules line %d: bad flag %s", lineno, tok[i]));
		}
	}
	if (rules_find(r, row.outcome, row.runners, row.ctx, row.lead) >= 0)
		return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
		    "rules line %d: duplicate row", lineno));
	if (rules_push(r, &row) == PD_ERR)
		return (pd_error_set(err, PD_E_INTERNAL, NULL, "out of memory"));
	return (PD_OK);
}

/* "---", "1--", "-2-", "--3", "12-", ... "123", or "*". */
static int
rules_parse_runners(const char *s, int *mask)
{
	int		i;

	if (strcmp(s, "*") == 0) {
		*mask = PD_RUNNERS_ANY;
		return (PD_OK);
	}
	if (strlen(s) != 3)
		return (PD_ERR);
	*mask = 0;
	for (i = 0; i < 3; i++) {
		if (s[i] == '1' + i)
			*mask |= 1 << i;
		else if (s[i] != '-')
			return (PD_ERR);
	}
	return (PD_OK);
}

static int
rules_parse_ctx(const char *s, int *ctx)
{
	int		i;

	if (strcmp(s, "*") == 0) {
		*ctx = PD_CTX_ANY;
		return (PD_OK);
	}
	for (i = 0; i < PD_CTX_COUNT; i++) {
		if (strcmp(s, ctx_names[i]) == 0) {
			*ctx = i;
			return (PD_OK);
		}
	}
	return (PD_ERR);
}

static int
rules_parse_lead(const char *s, int *lead)
{
	if (strcmp(s, "-") == 0)
		*lead = PD_LEAD_NONE;
	else if (strcmp(s, "safe") == 0)
		*lead = PD_LEAD_SAFE;
	else if (strcmp(s, "out") == 0)
		*lead = PD_LEAD_OUT;
	else
		return (PD_ERR);
	return (PD_OK);
}

/* WHO=DEST: B 1 2 3 R *, then [X|F] then N, +N or "force". */
static int
rules_parse_move(const char *s, struct pd_rule_move *mv)
{
	const char	*d;

	switch (s[0]) {
	case 'B':
		mv->who = PD_WHO_BATTER;
		break;
	case '1':
	case '2':
	case '3':
		mv->who = (signed char)(s[0] - '0');
		break;
	case 'R':
		mv->who = PD_WHO_RUNNER;
		break;
	case '*':
		mv->who = PD_WHO_ALL;
		break;
	default:
		return (PD_ERR);
	}
	if (s[1] != '=')
		return (PD_ERR);
	d = s + 2;
	mv->out = PD_MV_SAFE;
	if (*d == 'X') {
		mv->out = PD_MV_OUT;
		d++;
	} else if (*d == 'F') {
		mv->out = PD_MV_FORCE_OUT;
		d++;
	}
	if (strcmp(d, "force") == 0) {
		if (mv->out != PD_MV_SAFE || mv->who != PD_WHO_ALL)
			return (PD_ERR);
		mv->dest = PD_DEST_FORCE;
		mv->val = 1;
		return (PD_OK);
	}
	mv->dest = PD_DEST_ABS;
	if (*d == '+') {
		mv->dest = PD_DEST_REL;
		d++;
	}
	if (d[0] < '0' || d[0] > '4' || d[1] != '\0')
		return (PD_ERR);
	mv->val = (signed char)(d[0] - '0');
	return (PD_OK);
}

static int
rules_parse_flag(const char *s, unsigned int *flags)
{
	if (strcmp(s, "dp") == 0)
		*flags |= PD_RF_DP;
	else if (strcmp(s, "err") == 0)
		*flags |= PD_RF_ERR;
	else if (strcmp(s, "sf") == 0)
		*flags |= PD_RF_SF;
	else if (strcmp(s, "sh") == 0)
		*flags |= PD_RF_SH;
	else if (strcmp(s, "pb") == 0)
		*flags |= PD_RF_PB;
	else if (strcmp(s, "norbi") == 0)
		*flags |= PD_RF_NORBI;
	else
		return (PD_ERR);
	return (PD_OK);
}

static int
rules_push(struct pd_rules *r, const struct pd_rule *row)
{
	struct pd_rule	*n;
	size_t		 cap;

	if (r->nrows == r->cap) {
		cap = r->cap ? r->cap * 2 : 64;
		if (cap > 30000)
			return (PD_ERR);
		if ((n = realloc(r->rows, cap * sizeof(*n))) == NULL)
			return (PD_ERR);
		r->rows = n;
		r->cap = cap;
	}
	r->rows[r->nrows++] = *row;
	return (PD_OK);
}

/* Exact row match, as written in the table. */
static int
rules_find(const struct pd_rules *r, int outcome, int runners, int ctx,
    int lead)
{
	size_t		i;

	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].outcome == outcome &&
		    r->rows[i].runners == runners && r->rows[i].ctx == ctx &&
		    r->rows[i].lead == lead)
			return ((int)i);
	}
	return (-1);
}

/*
 * For each key try the contexts of the chain, then any context; within
 * one, the exact base state before "*"; within that, the lead call before
 * the plain row (so a call is ignored where the chart has none).
 */
static int
rules_build_index(struct pd_rules *r, struct pd_error *err)
{
	int		o, src, mask, ctx, lead, c, k, s, idx, runners[2];
	int		cand;

	for (o = 0; o < PD_O_COUNT; o++) {
		src = r->same_as[o];
		if (r->same_as[src] != src)
			return (pd_error_set(err, PD_E_INVALID_RULES, NULL,
			    "'same %s' points at an alias", pd_outcome_name(o)));
		for (mask = 0; mask < 8; mask++) {
			runners[0] = mask;
			runners[1] = PD_RUNNERS_ANY;
			for (ctx = 0; ctx < PD_CTX_COUNT; ctx++) {
				for (lead = 0; lead < PD_LEAD_COUNT; lead++) {
					idx = -1;
					for (k = 0; k < 5 && idx < 0; k++) {
						c = (k < 4) ? ctx_chain[ctx][k] :
						    PD_CTX_ANY;
						if (c == -2)
							continue;
						for (s = 0; s < 2 && idx < 0;
						    s++) {
							cand = rules_find(r, src,
							    runners[s], c, lead);
							if (cand < 0 && lead !=
							    PD_LEAD_NONE)
								cand = rules_find(r,
								    src, runners[s],
								    c, PD_LEAD_NONE);
							idx = cand;
						}
					}
					if (idx < 0)
						return (pd_error_set(err,
						    PD_E_INVALID_RULES, NULL,
						    "no row for %s with runners"
						    " %d in context %s",
						    pd_outcome_name(o), mask,
						    ctx_names[ctx]));
					r->index[o][mask][ctx][lead] =
					    (short)idx;
				}
			}
		}
	}
	return (PD_OK);
}

/* Simulate every row on every base state it may meet. */
static int
rules_check_rows(struct pd_rules *r, struct pd_error *err)
{
	const struct pd_outcome_info	*oi;
	struct pd_resolved		 res;
	const struct pd_rule		*row;
	const char			*why;
	size_t				 i;
	int				 mask, rb, uses_r, k;

	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		oi = pd_outcome_info(row->outcome);
		uses_r = 0;
		for (k = 0; k < row->nmoves; k++)
			if (row->mv[k].who == PD_WHO_RUNNER)
				uses_r = 1;
		for (mask = 0; mask < 8; mask++) {
			if (row->runners != PD_RUNNERS_ANY &&
			    row->runners != mask)
				continue;
			if (oi->needs_on_base && mask == 0)
				continue;
			for (rb = uses_r ? 1 : 0; rb <= (uses_r ? 3 : 0);
			    rb++) {
				if (uses_r && !(mask & (1 << (rb - 1))))
					continue;
				if (uses_r && rb < 3 && (mask & (1 << rb)) &&
				    row->outcome == PD_O_STOLEN_BASE)
					continue;	/* refused by the engine */
				if (rules_apply(row, mask, rb,
				    oi->kind != PD_OK_RUNNER, &res, &why) ==
				    PD_ERR)
					return (pd_error_set(err,
					    PD_E_INVALID_RULES, NULL,
					    "rules line %d: %s with runners %d",
					    row->line, why, mask));
			}
		}
	}
	return (PD_OK);
}

static int
rule_dest(const struct pd_rule_move *mv, int from)
{
	int		to;

	to = (mv->dest == PD_DEST_REL) ? from + mv->val : mv->val;
	return (to > 4 ? 4 : to);
}

static int
rules_apply(const struct pd_rule *row, int mask, int runner_base, int pa,
    struct pd_resolved *res, const char **why)
{
	const struct pd_rule_move	*mv;
	int				 to[4], out[4], named[4], on[4];
	int				 b, k, forced, n, last;

	memset(res, 0, sizeof(*res));
	res->flags = row->flags;
	res->line = row->line;
	on[0] = pa;
	for (b = 1; b <= 3; b++)
		on[b] = (mask >> (b - 1)) & 1;
	for (b = 0; b <= 3; b++) {
		to[b] = b;
		out[b] = PD_MV_SAFE;
		named[b] = 0;
	}
	to[0] = -1;

	/* Named movers first, so that "*" means "everyone else". */
	for (k = 0; k < row->nmoves; k++) {
		mv = &row->mv[k];
		if (mv->who == PD_WHO_ALL)
			continue;
		b = (mv->who == PD_WHO_RUNNER) ? runner_base : mv->who;
		if (b < 0 || b > 3 || (mv->who == PD_WHO_RUNNER && b == 0)) {
			*why = "no runner named";
			return (PD_ERR);
		}
		if (!on[b])
			continue;	/* e.g. "3=4" with third empty */
		to[b] = rule_dest(mv, b);
		out[b] = mv->out;
		named[b] = 1;
	}
	for (k = 0; k < row->nmoves; k++) {
		mv = &row->mv[k];
		if (mv->who != PD_WHO_ALL)
			continue;
		forced = on[0] && (!named[0] || out[0] == PD_MV_SAFE);
		for (b = 1; b <= 3; b++) {
			if (!on[b]) {
				forced = 0;
				continue;
			}
			if (named[b])
				continue;
			if (mv->dest == PD_DEST_FORCE)
				to[b] = forced ? b + 1 : b;
			else
				to[b] = rule_dest(mv, b);
			out[b] = mv->out;
		}
	}

	if (pa && to[0] < 0) {
		*why = "the batter is not moved";
		return (PD_ERR);
	}
	if (!pa && named[0]) {
		*why = "a runner event moves the batter";
		return (PD_ERR);
	}
	/* Nobody goes backwards, bases hold one runner, nobody passes. */
	last = 5;
	for (b = 3; b >= 0; b--) {
		if (!on[b])
			continue;
		if (to[b] < b) {
			*why = "a runner moves backwards";
			return (PD_ERR);
		}
		if (out[b] != PD_MV_SAFE)
			continue;
		/* Only runners who score may share a "base". */
		if (to[b] >= last && !(to[b] == 4 && last == 4)) {
			*why = "two runners end on one base";
			return (PD_ERR);
		}
		last = to[b];
	}

	n = 0;
	for (b = 3; b >= 0; b--) {
		if (!on[b])
			continue;
		res->mv[n].from = (signed char)b;
		res->mv[n].to = (signed char)to[b];
		res->mv[n].out = (signed char)out[b];
		n++;
	}
	res->nmoves = n;
	return (PD_OK);
}
