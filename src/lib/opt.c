/* opt.c: djb-style option parsing: no permutation, "--" ends options. */
#include <string.h>

#include "diag.h"
#include "opt.h"

static int complain(struct opt *o, const char *prog, const char *what, char c)
{
	char letter[2] = { c, 0 };
	const char *saved = diag_prefix;

	o->bad = c;
	diag_prefix = base_name(prog);
	diag_(0, DIAG_NOERR, what, letter, (const char *)0);
	diag_prefix = saved;
	return '?';
}

int opt_next(struct opt *o, int argc, char *const argv[], const char *optstring)
{
	const char *word, *spec;
	char c;

	o->arg = 0;
	if (o->ind >= argc || !argv[o->ind])
		return -1;
	word = argv[o->ind];
	if (o->pos == 0) {
		if (word[0] != '-' || word[1] == '\0')
			return -1;
		if (word[1] == '-' && word[2] == '\0') {
			o->ind++;
			return -1;
		}
		o->pos = 1;
	}
	c = word[o->pos++];
	if (word[o->pos] == '\0') {
		o->ind++;
		o->pos = 0;
	}
	spec = c == ':' ? 0 : strchr(optstring, c);
	if (!spec)
		return complain(o, argv[0], "illegal option -- ", c);
	if (spec[1] != ':')
		return c;
	if (o->pos) { /* attached: rest of this word */
		o->arg = word + o->pos;
		o->ind++;
		o->pos = 0;
		return c;
	}
	if (o->ind >= argc || !argv[o->ind])
		return complain(o, argv[0], "option requires an argument -- ", c);
	o->arg = argv[o->ind++];
	return c;
}
