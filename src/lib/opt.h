/* opt.h: djb-style option parsing: no permutation, "--" ends options. */
#ifndef RNG_OPT_H
#define RNG_OPT_H

struct opt {
	int ind;         /* next argv index; operands start here after -1 */
	const char *arg; /* argument of the option just returned */
	char bad;        /* offending letter after '?' */
	int pos;         /* position inside a grouped argument */
};

#define OPT_INIT { 1, 0, 0, 0 }

/* Returns the next option letter, -1 at the first operand (or after "--"),
 * or '?' after printing "PROG: illegal option -- X" or
 * "PROG: option requires an argument -- X" (PROG = basename of argv[0]).
 * A ':' after a letter in optstring means it takes an argument,
 * attached ("-eDIR") or as the next word ("-e DIR"). */
int opt_next(struct opt *o, int argc, char *const argv[], const char *optstring);
#endif
