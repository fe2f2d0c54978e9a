/* tap.h: a minimal TAP producer for the C unit tests; results on stdout, diagnostics on stderr. */
#ifndef RNG_TAP_H
#define RNG_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* Why a test failed goes to stderr, which prove shows without -v; stdout
 * is flushed first so the two streams stay in order on a terminal. */
#define tap_diag(...)                                                  \
	do {                                                           \
		fflush(stdout);                                        \
		fprintf(stderr, "# " __VA_ARGS__);                     \
		fputc('\n', stderr);                                   \
	} while (0)

#define ok(cond, ...)                                                  \
	do {                                                           \
		int ok_ = (cond);                                      \
		printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);       \
		printf(__VA_ARGS__);                                   \
		printf("\n");                                          \
		if (!ok_) {                                            \
			tap_failed++;                                  \
			fflush(stdout);                                \
			fprintf(stderr, "#   Failed test %d - ", tap_n); \
			fprintf(stderr, __VA_ARGS__);                  \
			fprintf(stderr, "\n#   at %s:%d\n", __FILE__, __LINE__); \
		}                                                      \
	} while (0)

#define is_str(got, want, name)                                                    \
	do {                                                                       \
		const char *g_ = (got), *w_ = (want);                              \
		ok(strcmp(g_, w_) == 0, "%s", name);                               \
		if (strcmp(g_, w_) != 0)                                           \
			tap_diag("    got: '%s'\n#   expected: '%s'", g_, w_);     \
	} while (0)

#define is_mem(got, want, len, name) ok(memcmp((got), (want), (len)) == 0, "%s", name)

/* must(CALL): a fixture's system call (writing a test file, cleaning up)
 * that returns a negative number on failure: a failure is a failed test,
 * never ignored. */
#define must(call)                                                     \
	do {                                                           \
		if ((call) < 0)                                        \
			ok(0, "%s", #call);                            \
	} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
#endif
