/* tap.h: a minimal TAP producer for the C unit tests. */
#ifndef RNG_TAP_H
#define RNG_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                  \
	do {                                                           \
		int ok_ = (cond);                                      \
		printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);       \
		printf(__VA_ARGS__);                                   \
		printf("\n");                                          \
		if (!ok_) {                                            \
			tap_failed++;                                  \
			printf("#   failed at %s:%d\n", __FILE__, __LINE__); \
		}                                                      \
	} while (0)

#define is_str(got, want, name)                                                    \
	do {                                                                       \
		const char *g_ = (got), *w_ = (want);                              \
		ok(strcmp(g_, w_) == 0, "%s", name);                               \
		if (strcmp(g_, w_) != 0)                                           \
			printf("#   got: '%s'\n#   expected: '%s'\n", g_, w_);     \
	} while (0)

#define is_mem(got, want, len, name) ok(memcmp((got), (want), (len)) == 0, "%s", name)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
#endif
