/* signame.c: signal names and numbers, both ways (down-signal). */
#include <signal.h>
#include <string.h>

#include "num.h"
#include "signame.h"

#define SIGNAME_NUMBER_MAX 64 /* Linux's NSIG - 1 */

static const struct {
	const char *name;
	int sig;
} names[] = {
	/* The first entry for a number is the one signame_fmt writes. */
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "IOT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
	{ "CHLD", SIGCHLD }, { "CLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH },
#ifdef SIGIO
	{ "IO", SIGIO }, { "POLL", SIGIO },
#endif
#ifdef SIGPWR
	{ "PWR", SIGPWR },
#endif
	{ "SYS", SIGSYS },
};

static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

/* Case-insensitive: does s[0..len) begin with the upper-case word w? */
static int starts(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (upper((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

/* Decimal digits only, no more than two: 0..99, or -1. */
static int small_number(const char *s, size_t len)
{
	int v = 0;
	size_t i;

	if (len == 0 || len > 2)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int realtime(const char *s, size_t len)
{
	int base, sign, off;

	if (starts(s, len, "RTMIN"))
		base = SIGRTMIN, sign = 1;
	else if (starts(s, len, "RTMAX"))
		base = SIGRTMAX, sign = -1;
	else
		return 0;
	s += 5;
	len -= 5;
	if (len == 0)
		return base;
	if (*s != (sign > 0 ? '+' : '-'))
		return 0;
	off = small_number(s + 1, len - 1);
	if (off < 0)
		return 0;
	base += sign * off;
	return base >= SIGRTMIN && base <= SIGRTMAX ? base : 0;
}

int signame_parse(const char *s, size_t len)
{
	size_t i;
	int n;

	if (len > 0 && s[0] >= '0' && s[0] <= '9') {
		n = small_number(s, len);
		return n >= 1 && n <= SIGNAME_NUMBER_MAX ? n : 0;
	}
	if (starts(s, len, "SIG")) {
		s += 3;
		len -= 3;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && starts(s, len, names[i].name))
			return names[i].sig;
	return realtime(s, len);
}

size_t signame_fmt(char out[SIGNAME_MAX], int sig)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig) {
			strcpy(out, names[i].name);
			return strlen(out);
		}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		int lo = sig - SIGRTMIN, hi = SIGRTMAX - sig;

		strcpy(out, lo <= hi ? "RTMIN" : "RTMAX");
		if ((lo <= hi ? lo : hi) == 0)
			return 5;
		out[5] = lo <= hi ? '+' : '-';
		return 6 + fmt_ulong(out + 6, (unsigned long)(lo <= hi ? lo : hi));
	}
	if (sig < 0) {
		out[0] = '-';
		return 1 + fmt_ulong(out + 1, 0UL - (unsigned long)sig);
	}
	return fmt_ulong(out, (unsigned long)sig);
}
