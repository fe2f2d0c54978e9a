/* logconf.c: a svlogd log directory's configuration: parsing the config file into struct logconf, its defaults, and rule matching. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "logconf.h"
#include "num.h"

void logconf_init(struct logconf *c)
{
	memset(c, 0, sizeof *c);
	c->sizemax = 1000000;
	c->nmax = 10;
	c->nmin = 10;
	c->prefix = "";
}

void logconf_free(struct logconf *c)
{
	free(c->text);
	free(c->rules);
	logconf_init(c);
}

/* A config number with an optional unit (k1 or k2), saturated at max with a
 * warning: a wrapped or overflowing value would rotate at random sizes or
 * times. */
static unsigned long scan_scaled(const char *dir, const char *line, char k1,
    unsigned long m1, char k2, unsigned long m2, unsigned long max)
{
	unsigned long v, m = 1;
	size_t n = scan_ulong(line + 1, &v);

	if (line[1 + n] == k1)
		m = m1;
	else if (line[1 + n] == k2)
		m = m2;
	/* scan_ulong saturates: ULONG_MAX read is a number past it */
	if (v > max / m || v == ULONG_MAX) {
		diag("warning", DIAG_NOERR, "config value too large, using the largest: ",
		    dir ? dir : "", ": ", line);
		return max;
	}
	return v * m;
}

/* a.b.c.d[:port], port 514 by default; a bad one is warned about and
 * leaves c as it was. */
static void parse_udp(struct logconf *c, const char *arg)
{
	unsigned long part[4], port = 514;
	const char *s = arg;
	size_t n;

	for (int i = 0; i < 4; i++) {
		n = scan_ulong(s, &part[i]);
		if (!n || (i < 3 && s[n] != '.')) {
			diag("warning", DIAG_NOERR, "unable to scan ip address: ", arg);
			return;
		}
		s += n + (i < 3);
	}
	if (*s == ':') {
		n = scan_ulong(s + 1, &port);
		if (!n || !port) {
			diag("warning", DIAG_NOERR, "unable to scan port number: ", s + 1);
			return;
		}
	}
	memset(&c->udpaddr, 0, sizeof c->udpaddr);
	c->udpaddr.sin_family = AF_INET;
	c->udpaddr.sin_port = htons((uint16_t)port);
	c->udpaddr.sin_addr.s_addr = htonl((uint32_t)((part[0] & 255) << 24 |
	    (part[1] & 255) << 16 | (part[2] & 255) << 8 | (part[3] & 255)));
	c->udpconf = 1;
}

int logconf_parse(struct logconf *c, const char *dir, char *text, size_t len)
{
	size_t nrules = 0;

	c->text = text;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			nrules++;
	c->rules = malloc((nrules + 1) * sizeof *c->rules);
	if (!c->rules)
		return -1;
	c->nrules = 0;
	for (size_t i = 0; i < len;) {
		char *line = text + i;
		char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		i += llen + 1;
		if (nl)
			*nl = 0;
		else if (llen == 1)
			break; /* runit ignores a one-character final line without newline */
		else
			line[llen] = 0;
		if (!llen)
			continue;
		switch (line[0]) {
		case 's':
			c->sizemax = scan_scaled(dir, line, 'k', 1024, 'm', 1048576, ULONG_MAX);
			break;
		case 'n':
			c->nmax = scan_scaled(dir, line, 0, 1, 0, 1, ULONG_MAX);
			break;
		case 'N':
			c->nmin = scan_scaled(dir, line, 0, 1, 0, 1, ULONG_MAX);
			break;
		case 't':
			c->tmax = scan_scaled(dir, line, 'm', 60, 'h', 3600, LOGCONF_TMAX_MAX);
			break;
		case '!':
			if (line[1])
				c->processor = line + 1;
			break;
		case 'U':
			c->udponly = 1;
			/* fall through */
		case 'u':
			parse_udp(c, line + 1);
			break;
		case 'p':
			c->prefix = line + 1;
			c->prefixlen = llen - 1;
			break;
		case '+': case '-': case 'e': case 'E':
			c->rules[c->nrules++] = line;
			break;
		}
	}
	return 0;
}

int logconf_match(const char *p, const char *s, size_t len)
{
	for (;;) {
		char c = *p++;

		if (!c)
			return len == 0;
		if (c == '*') {
			if (!*p)
				return 1;
			while (len && *s != *p) {
				s++;
				len--;
			}
			if (!len)
				return 0;
			continue;
		}
		if (c == '+' && *p) {
			c = *p++;
			if (!len || *s != c)
				return 0;
			while (len && *s == c) {
				s++;
				len--;
			}
			if (!len)
				return 1;
			continue;
		}
		if (!len || *s != c)
			return 0;
		s++;
		len--;
	}
}

int logconf_select(const struct logconf *c, const char *head, size_t hlen, int *alert)
{
	int sel = 1;

	*alert = 0;
	for (size_t i = 0; i < c->nrules; i++) {
		const char *r = c->rules[i];
		if (!logconf_match(r + 1, head, hlen))
			continue;
		switch (r[0]) {
		case '+': sel = 1; break;
		case '-': sel = 0; break;
		case 'e': *alert = 1; break;
		case 'E': *alert = 0; break;
		}
	}
	return sel;
}
