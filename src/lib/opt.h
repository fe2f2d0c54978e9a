/* opt.h: djb-style option parsing: no permutation, "--" ends options. */
#ifndef RNG_OPT_H
#define RNG_OPT_H
#include <stddef.h>

struct opt {
	int ind;         /* next argv index; operands start here after -1 */
	const char *arg; /* argument of the option just returned */
	char bad;        /* offending letter after '?' */
	int pos;         /* position inside a grouped argument */
};

#define OPT_INIT { 1, 0, 0, 0 }

/* A long option "--NAME", with its argument as "--NAME=ARG" or "--NAME ARG"
 * when takes_arg; opt_next_long returns OPT_LONG + its index. */
struct opt_long {
	const char *name;
	int takes_arg;
};
#define OPT_LONG 256

/* Returns the next option letter, -1 at the first operand (or after "--"),
 * or '?' after printing "PROG: illegal option -- X" or
 * "PROG: option requires an argument -- X" (PROG = basename of argv[0]).
 * A ':' after a letter in optstring means it takes an argument,
 * attached ("-eDIR") or as the next word ("-e DIR"). */
int opt_next(struct opt *o, int argc, char *const argv[], const char *optstring);
/* opt_next that also knows the nlong long options; an unknown one, an
 * argument given to one that takes none or missing are '?' after
 * "PROG: illegal option -- --NAME", "PROG: option takes no argument --
 * --NAME" or "PROG: option requires an argument -- --NAME". */
int opt_next_long(struct opt *o, int argc, char *const argv[], const char *optstring,
    const struct opt_long *longs, int nlong);
/* "PROG: WHAT DETAIL" on stderr (DETAIL cut to len bytes), as opt_next
 * complains: for a usage error found in an option's argument. */
void opt_complain(const char *prog, const char *what, const char *detail, size_t len);
#endif
