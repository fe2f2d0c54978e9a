/* logconf.h: a svlogd log directory's configuration: the config file's lines (s n N t ! u U p and the + - e E rules), their defaults, and rule matching. */
#ifndef RNG_LOGCONF_H
#define RNG_LOGCONF_H
#include <netinet/in.h>
#include <stddef.h>

/* The longest rotation age, 34 years: a deadline past it would overflow a
 * 32-bit time_t, and its milliseconds a long long. */
#define LOGCONF_TMAX_MAX (1ul << 30)

struct logconf {
	unsigned long sizemax;    /* s: rotate current past this size; 0: never */
	unsigned long nmax, nmin; /* n, N: old files kept at most, kept on a full disk */
	unsigned long tmax;       /* t: rotate current this many seconds old; 0: never */
	char *text;               /* the file's text, lines NUL-terminated in place: owned */
	char **rules;             /* +, -, e, E lines in file order, pointing into text */
	size_t nrules;
	const char *processor;    /* !: the processor's shell command, or null */
	const char *prefix;       /* p: put before each line */
	size_t prefixlen;
	int udpconf;              /* u or U gave an address: udpaddr */
	int udponly;              /* U: lines go to udp only, not to current */
	struct sockaddr_in udpaddr;
};

/* The defaults (no config file), nothing owned. */
void logconf_init(struct logconf *c);

/* Frees what c owns and sets the defaults again. */
void logconf_free(struct logconf *c);

/*
 * Parses config text of len bytes into c (which should hold the defaults),
 * terminating its lines in place; c owns text from this call on, even when
 * it fails. Lines it cannot use are warned about with dir's name (svlogd's
 * "warning: ..." lines) and skipped, or saturated at the largest value.
 * -1 when out of memory.
 */
int logconf_parse(struct logconf *c, const char *dir, char *text, size_t len);

/* Whether pattern p (runit's: * any run, +c a run of c's, others literal)
 * matches the whole of s[0..len). */
int logconf_match(const char *p, const char *s, size_t len);

/* Whether c's rules select a line with this head for current (1) or not,
 * and whether they ask for an alert (*alert). */
int logconf_select(const struct logconf *c, const char *head, size_t hlen, int *alert);

#endif
