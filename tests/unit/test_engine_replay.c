/*
 * Regression: build/pd-replay on the fixture under tests/data/engine must
 * print exactly the recorded output (plays, refusals, final state, box
 * score).  Regenerate the .expected file only for an intended change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../property/engine_sim.h"

static char	*run(const char *);

Test(engine_replay, fixture_matches)
{
	char	*got, *want;

	got = run("build/pd-replay tests/data/engine/game1.setup.json "
	    "tests/data/engine/game1.actions.jsonl");
	want = sim_slurp("tests/data/engine/game1.expected.jsonl");
	cr_assert_not_null(got);
	cr_assert_not_null(want);
	cr_assert(strcmp(got, want) == 0, "pd-replay output differs");
	cr_expect(strstr(got, "\"status\":\"final\"") != NULL);
	free(got);
	free(want);
}

Test(engine_replay, refuses_bad_setup)
{
	cr_expect(system("build/pd-replay /nonexistent x 2>/dev/null") != 0);
}

static char *
run(const char *cmd)
{
	FILE	*p;
	char	*buf;
	size_t	 n, cap;

	if ((p = popen(cmd, "r")) == NULL)
		return (NULL);
	cap = 1 << 20;
	if ((buf = malloc(cap)) == NULL) {
		(void)pclose(p);
		return (NULL);
	}
	n = fread(buf, 1, cap - 1, p);
	buf[n] = '\0';
	if (pclose(p) != 0) {
		free(buf);
		return (NULL);
	}
	return (buf);
}

