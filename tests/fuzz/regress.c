/*
 * Replays every file under tests/fuzz/regress/<target>/ and
 * tests/fuzz/corpus/<target>/ through the fuzz target's entry point, so
 * a crash found once stays fixed.  Built once per target as
 * build/tests/regress_fuzz_<target>; the target comes from the program's
 * name.  Options (criterion's, from scripts/run-unit-tests.sh) are
 * ignored; other arguments are extra files or directories to replay.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_DIR
#define FUZZ_DIR	"tests/fuzz"
#endif

static int	replay_file(const char *);
static int	replay_path(const char *, int);

static int	nfiles;

static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*data;
	long		 len;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "regress: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fseek(f, 0, SEEK_END) == -1 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		fclose(f);
		return (-1);
	}
	/* Exactly len bytes, so ASan sees any read past the input. */
	if ((data = malloc(len > 0 ? (size_t)len : 1)) == NULL ||
	    fread(data, 1, (size_t)len, f) != (size_t)len) {
		free(data);
		fclose(f);
		return (-1);
	}
	fclose(f);
	(void)LLVMFuzzerTestOneInput(data, (size_t)len);
	free(data);
	nfiles++;
	return (0);
}

/* A file, or every regular file of a directory (missing: none). */
static int
replay_path(const char *path, int must_exist)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];
	int		 rc;

	if (stat(path, &st) == -1)
		return (must_exist ? -1 : 0);
	if (!S_ISDIR(st.st_mode))
		return (replay_file(path));
	if ((d = opendir(path)) == NULL)
		return (-1);
	rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(sub) == -1)
			rc = -1;
	}
	closedir(d);
	return (rc);
}

int
main(int argc, char **argv)
{
	const char	*name, *target;
	char		 dir[4096];
	int		 i, rc, extra;

	name = strrchr(argv[0], '/');
	name = name != NULL ? name + 1 : argv[0];
	target = strncmp(name, "regress_fuzz_", 13) == 0 ? name + 13 : name;

	rc = 0;
	extra = 0;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-') {
			/* "--jobs 2": skip the option's value too. */
			if (strcmp(argv[i], "--jobs") == 0 || strcmp(argv[i],
			    "-j") == 0)
				i++;
			continue;
		}
		extra = 1;
		if (replay_path(argv[i], 1) == -1)
			rc = 1;
	}
	if (!extra) {
		(void)snprintf(dir, sizeof(dir), "%s/regress/%s", FUZZ_DIR,
		    target);
		if (replay_path(dir, 0) == -1)
			rc = 1;
		(void)snprintf(dir, sizeof(dir), "%s/corpus/%s", FUZZ_DIR,
		    target);
		if (replay_path(dir, 0) == -1)
			rc = 1;
	}
	printf("regress %s: %d inputs replayed%s\n", target, nfiles,
	    rc ? ", some unreadable" : ", no crash");
	return (rc);
}
