/*
 * Shared by the fuzz targets: the libFuzzer entry point, and a check that
 * aborts (so both libFuzzer and the regression replay report it) when an
 * invariant of the code under test does not hold.
 */
#ifndef PD_TESTS_FUZZ_H
#define PD_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif
