/* opt.c: djb-style option parsing: no permutation, "--" ends options. */
#include <string.h>

#include "diag.h"
#include "opt.h"

void opt_complain(const char *prog, const char *what, const char *detail, size_t len)
{
	char shown[128];
	const char *saved = diag_prefix;

	if (len >= sizeof shown)
		len = sizeof shown - 1;
	memcpy(shown, detail, len);
	shown[len] = '\0';
	diag_prefix = base_name(prog);
	diag_(0, DIAG_NOERR, what, shown, (const char *)0);
	diag_prefix = saved;
}

static int complain(struct opt *o, const char *prog, const char *what, char c)
{
	o->bad = c;
	opt_complain(prog, what, &c, 1);
	return '?';
}

/* argv[o->ind] is "--NAME[=ARG]": the long option's number, or '?'. */
static int next_long(struct opt *o, int argc, char *const argv[], const struct opt_long *longs,
    int nlong)
{
	const char *word = argv[o->ind++], *name = word + 2;
	size_t len = strcspn(name, "=");
	int i;

	for (i = 0; i < nlong; i++)
		if (strlen(longs[i].name) == len && !strncmp(name, longs[i].name, len))
			break;
	if (i == nlong) {
		opt_complain(argv[0], "illegal option -- ", word, len + 2);
		return '?';
	}
	if (name[len] == '=') {
		if (!longs[i].takes_arg) {
			opt_complain(argv[0], "option takes no argument -- ", word, len + 2);
			return '?';
		}
		o->arg = name + len + 1;
	} else if (longs[i].takes_arg) {
		if (o->ind >= argc || !argv[o->ind]) {
			opt_complain(argv[0], "option requires an argument -- ", word, len + 2);
			return '?';
		}
		o->arg = argv[o->ind++];
	}
	return OPT_LONG + i;
}

int opt_next_long(struct opt *o, int argc, char *const argv[], const char *optstring,
    const struct opt_long *longs, int nlong)
{
	const char *w = o->ind < argc ? argv[o->ind] : 0;

	o->arg = 0;
	/* where an option may start, a word "--NAME" (a lone "--" ends them) */
	if (o->pos == 0 && w && w[0] == '-' && w[1] == '-' && w[2] != '\0')
		return next_long(o, argc, argv, longs, nlong);
	return opt_next(o, argc, argv, optstring);
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
