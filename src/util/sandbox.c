/*
 * sandbox: extra seccomp rules for Kore 4.1 workers.
 *
 * Kore's worker filter predates Debian 12's glibc, which stats with
 * newfstatat and checks access with faccessat2; libpq and Kore tasks need
 * a few more.  Without these the parent restarts workers in a loop.
 */
#include <kore/kore.h>
#include <kore/seccomp.h>

KORE_SECCOMP_FILTER("app",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(faccessat2),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(sendmmsg),
	KORE_SYSCALL_ALLOW(uname),
	/* glibc's realloc() of a large (mmapped) block, e.g. a 600 kB POST. */
	KORE_SYSCALL_ALLOW(mremap),
	/* The sanitizer runtime starting a task thread (build/pd-san.so). */
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(sched_getaffinity)
);
