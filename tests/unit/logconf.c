/* Unit tests for logconf.c: svlogd's config lines, their defaults, their warnings byte for byte, saturation of huge values, and rule matching. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "logconf.h"
#include "tap.h"

static char errtext[4096];

/* Parses text (copied: logconf owns it) into c from the defaults; what it
 * printed on stderr is in errtext. */
static int parse(struct logconf *c, const char *text)
{
	char tmpl[] = "/tmp/logconf-err.XXXXXX";
	int fd = mkstemp(tmpl), saved = dup(2), r;
	size_t len = strlen(text);
	char *copy = malloc(len + 1);
	ssize_t n;

	if (fd < 0 || saved < 0 || !copy) {
		ok(0, "fixture: a file for stderr");
		exit(1);
	}
	unlink(tmpl);
	memcpy(copy, text, len + 1);
	logconf_init(c);
	fflush(stderr);
	must(dup2(fd, 2));
	r = logconf_parse(c, "d", copy, len);
	must(dup2(saved, 2));
	close(saved);
	n = pread(fd, errtext, sizeof errtext - 1, 0);
	errtext[n > 0 ? n : 0] = 0;
	close(fd);
	return r;
}

static void defaults(void)
{
	struct logconf c;

	ok(parse(&c, "") == 0, "an empty config parses");
	ok(c.sizemax == 1000000 && c.nmax == 10 && c.nmin == 10 && c.tmax == 0,
	    "defaults: s1000000 n10 N10, no age");
	ok(!c.processor && c.prefixlen == 0 && !strcmp(c.prefix, "") && c.nrules == 0 &&
	    !c.udpconf && !c.udponly, "defaults: no processor, prefix, rules or udp");
	is_str(errtext, "", "no warning");
	logconf_free(&c);
}

static void every_line(void)
{
	struct logconf c;

	ok(parse(&c, "s4096\nn5\nN2\nt90\n!gzip -c\npPFX: \n+a*\n-b*\ne*c\nE*d\n\n") == 0,
	    "every kind of line parses");
	ok(c.sizemax == 4096 && c.nmax == 5 && c.nmin == 2 && c.tmax == 90, "s n N t");
	ok(c.processor && !strcmp(c.processor, "gzip -c"), "! is the processor");
	ok(c.prefixlen == 5 && !memcmp(c.prefix, "PFX: ", 5), "p is the prefix, its spaces kept");
	ok(c.nrules == 4 && !strcmp(c.rules[0], "+a*") && !strcmp(c.rules[1], "-b*") &&
	    !strcmp(c.rules[2], "e*c") && !strcmp(c.rules[3], "E*d"), "rules in file order");
	is_str(errtext, "", "no warning");
	logconf_free(&c);
	ok(c.sizemax == 1000000 && !c.processor && !c.nrules && !c.text,
	    "logconf_free sets the defaults again");

	parse(&c, "s2k\nt3m\n");
	ok(c.sizemax == 2048 && c.tmax == 180, "s with k, t with m");
	logconf_free(&c);
	parse(&c, "s2m\nt3h\n");
	ok(c.sizemax == 2097152 && c.tmax == 10800, "s with m, t with h");
	logconf_free(&c);
	parse(&c, "s7\nn3\ns8\n");
	ok(c.sizemax == 8 && c.nmax == 3, "a later line wins");
	logconf_free(&c);
	parse(&c, "n5\n!\n\n");
	ok(c.nmax == 5 && !c.processor, "a bare ! is no processor; empty lines are skipped");
	logconf_free(&c);
	parse(&c, "n5\ns");
	ok(c.nmax == 5 && c.sizemax == 1000000,
	    "a one-character last line without newline is ignored (runit)");
	logconf_free(&c);
	parse(&c, "n5\ns9");
	ok(c.sizemax == 9, "a longer last line without newline counts");
	logconf_free(&c);
	parse(&c, "x\n#s5\n s5\n");
	ok(c.sizemax == 1000000 && c.nrules == 0 && !strcmp(errtext, ""),
	    "unknown lines are ignored without a word");
	logconf_free(&c);
}

static void saturation(void)
{
	struct logconf c;

	parse(&c, "s99999999999999999999999\n");
	ok(c.sizemax == ULONG_MAX, "a huge s is the largest");
	is_str(errtext, "svlogd: warning: config value too large, using the largest: d: s99999999999999999999999\n",
	    "a huge plain number saturates with the warning");
	logconf_free(&c);
	parse(&c, "s18014398509481984k\n");
	ok(c.sizemax == ULONG_MAX, "s2^54k does not wrap");
	is_str(errtext, "svlogd: warning: config value too large, using the largest: d: s18014398509481984k\n",
	    "s2^54k: the warning, byte for byte");
	logconf_free(&c);
	parse(&c, "s17592186044416m\n");
	ok(c.sizemax == ULONG_MAX && strstr(errtext, ": d: s17592186044416m\n"), "s2^44m does not wrap");
	logconf_free(&c);
	parse(&c, "t4611686018427387904\n");
	ok(c.tmax == LOGCONF_TMAX_MAX, "t2^62 is 34 years, at most");
	is_str(errtext, "svlogd: warning: config value too large, using the largest: d: t4611686018427387904\n",
	    "t2^62: the warning, byte for byte");
	logconf_free(&c);
	parse(&c, "t298262h\n");
	ok(c.tmax == LOGCONF_TMAX_MAX && strstr(errtext, "too large"), "t298262h is past 34 years");
	logconf_free(&c);
	parse(&c, "t298261h\n");
	ok(c.tmax == 298261ul * 3600 && !errtext[0], "t298261h is just below: kept");
	logconf_free(&c);
	parse(&c, "n99999999999999999999999\nN99999999999999999999999\n");
	ok(c.nmax == ULONG_MAX && c.nmin == ULONG_MAX, "huge n and N saturate");
	ok(strstr(errtext, ": d: n99999999999999999999999\n") &&
	    strstr(errtext, ": d: N99999999999999999999999\n"), "huge n and N: a warning each");
	logconf_free(&c);
}

static void udp(void)
{
	struct logconf c;

	parse(&c, "u10.1.2.3:5140\n");
	ok(c.udpconf && !c.udponly, "u: udp beside current");
	ok(c.udpaddr.sin_family == AF_INET && ntohs(c.udpaddr.sin_port) == 5140 &&
	    ntohl(c.udpaddr.sin_addr.s_addr) == 0x0a010203, "u: address and port");
	logconf_free(&c);
	parse(&c, "U192.168.0.1\n");
	ok(c.udpconf && c.udponly && ntohs(c.udpaddr.sin_port) == 514 &&
	    ntohl(c.udpaddr.sin_addr.s_addr) == 0xc0a80001, "U: udp only, port 514 by default");
	logconf_free(&c);
	parse(&c, "u10.0.0\n");
	ok(!c.udpconf, "u with three parts is no address");
	is_str(errtext, "svlogd: warning: unable to scan ip address: 10.0.0\n", "its warning, byte for byte");
	logconf_free(&c);
	parse(&c, "u1.2.3.4:x\n");
	ok(!c.udpconf, "a port that is no number");
	is_str(errtext, "svlogd: warning: unable to scan port number: x\n", "its warning, byte for byte");
	logconf_free(&c);
	parse(&c, "u1.2.3.4:0\n");
	ok(!c.udpconf && strstr(errtext, "unable to scan port number: 0\n"), "port 0 is refused");
	logconf_free(&c);
	parse(&c, "Ubad\n");
	ok(c.udponly && !c.udpconf, "U with a bad address still asks for udp only (runit)");
	logconf_free(&c);
	parse(&c, "u1.2.3.4\nu5.6.7\n");
	ok(c.udpconf && ntohl(c.udpaddr.sin_addr.s_addr) == 0x01020304,
	    "a bad later address keeps the good one");
	logconf_free(&c);
}

static void matching(void)
{
	static const struct { const char *p, *s; int want; } cases[] = {
		{ "*", "", 1 }, { "*", "anything", 1 }, { "", "", 1 }, { "", "x", 0 },
		{ "abc", "abc", 1 }, { "abc", "abcd", 0 }, { "abc", "ab", 0 },
		{ "a*", "axyz", 1 }, { "*b", "ab", 1 }, { "*b", "abc", 0 },
		{ "*keep*", "001 keep x", 1 }, { "*keep*", "001 skip x", 0 },
		{ "*b*", "aaab", 1 },
		/* one pass, no backtracking: the first b after the star is the one */
		{ "*bc", "abbc", 0 },
		{ "*alarm*", "an alarm", 0 }, { "*alarm*", "x alarm", 1 }, /* as Debian's svlogd */
		{ "+x", "xxx", 1 }, { "+xy", "xxy", 1 }, { "+x", "y", 0 }, { "+xy", "xxz", 0 },
		{ "a+", "a+", 1 },
		/* a run that takes the whole line matches, whatever follows it */
		{ "+xabc", "xxx", 1 },
		{ "*pid*", "tcpsvd: info: pid 1977 from 10.4.1.14", 0 },
		{ "*: *: pid *", "tcpsvd: info: pid 1977 from 10.4.1.14", 1 },
	};
	char name[128];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(name, sizeof name, "'%s' %s '%s'", cases[i].p,
		    cases[i].want ? "matches" : "does not match", cases[i].s);
		ok(logconf_match(cases[i].p, cases[i].s, strlen(cases[i].s)) == cases[i].want, "%s", name);
	}
	ok(logconf_match("ab", "abc", 2) == 1, "only len bytes of the line count");
}

static void selecting(void)
{
	struct logconf c;
	int alert = -1;

	parse(&c, "-*\n+*keep*\ne*alarm*\n");
	ok(logconf_select(&c, "1 keep", 6, &alert) == 1 && alert == 0, "- then +: selected, no alert");
	ok(logconf_select(&c, "1 drop", 6, &alert) == 0 && alert == 0, "-*: not selected");
	ok(logconf_select(&c, "alarm", 5, &alert) == 0 && alert == 1, "e: an alert, selection aside");
	logconf_free(&c);
	parse(&c, "e*\nE*quiet*\n");
	ok(logconf_select(&c, "a quiet one", 11, &alert) == 1 && alert == 0, "E after e: no alert");
	logconf_free(&c);
	parse(&c, "");
	ok(logconf_select(&c, "x", 1, &alert) == 1 && alert == 0, "no rules: every line");
	logconf_free(&c);
}

int main(void)
{
	diag_prefix = "svlogd";
	defaults();
	every_line();
	saturation();
	udp();
	matching();
	selecting();
	return done_testing();
}
