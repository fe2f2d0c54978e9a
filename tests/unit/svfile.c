/* Unit tests for svfile.c (one-value service-directory files) and signame.c (signal names). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signame.h"
#include "svfile.h"
#include "tap.h"

static int dirfd_;

static void put(const char *name, const char *data, size_t len)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		perror(name);
	close(fd);
}

/* svfile_parse on a literal, expecting garbage with this reason. */
static int garbage(const char *buf, size_t len, const char *reason)
{
	char value[SVFILE_VALUE_MAX + 1];
	const char *why = 0;

	return svfile_parse(buf, len, value, &why) == SVFILE_INVALID && why &&
	    strcmp(why, reason) == 0;
}

static int parses_to(const char *buf, size_t len, const char *want)
{
	char value[SVFILE_VALUE_MAX + 1];
	const char *why = 0;

	return svfile_parse(buf, len, value, &why) == SVFILE_OK && strcmp(value, want) == 0;
}

static int sig_is(const char *s, int want) { return signame_parse(s, strlen(s)) == want; }

static int fmt_is(int sig, const char *want)
{
	char out[SIGNAME_MAX];
	size_t n = signame_fmt(out, sig);

	return n == strlen(want) && strcmp(out, want) == 0;
}

int main(void)
{
	char dir[] = "/tmp/rng-svfile.XXXXXX", value[SVFILE_VALUE_MAX + 1], big[200];
	const char *why;
	unsigned long ms;
	int sig, i, roundtrip;

	/* signame */
	ok(sig_is("HUP", SIGHUP) && sig_is("SIGHUP", SIGHUP) && sig_is("hup", SIGHUP) &&
	    sig_is("SigHup", SIGHUP), "HUP with or without SIG, any case");
	ok(sig_is("QUIT", SIGQUIT) && sig_is("SIGQUIT", SIGQUIT) && sig_is("term", SIGTERM) &&
	    sig_is("KILL", SIGKILL) && sig_is("usr2", SIGUSR2) && sig_is("WINCH", SIGWINCH),
	    "common names");
	ok(sig_is("IOT", SIGABRT) && sig_is("CLD", SIGCHLD) && sig_is("POLL", SIGIO),
	    "aliases IOT CLD POLL");
	ok(sig_is("1", 1) && sig_is("15", SIGTERM) && sig_is("64", 64), "numbers 1..64");
	ok(sig_is("0", 0) && sig_is("65", 0) && sig_is("100", 0) && sig_is("-1", 0) &&
	    sig_is("+1", 0) && sig_is("015", 0), "0, out of range, signs, three digits: no signal");
	ok(sig_is("", 0) && sig_is("SIG", 0) && sig_is("TERM ", 0) && sig_is(" TERM", 0) &&
	    sig_is("TERMX", 0) && sig_is("SIGSIGTERM", 0) && sig_is("15x", 0),
	    "empty, bare SIG, blanks, unknown, trailing garbage: no signal");
	ok(signame_parse("TERMINATE", 4) == SIGTERM, "length bounds the name, no NUL needed");
	ok(sig_is("RTMIN", SIGRTMIN) && sig_is("SIGRTMIN+1", SIGRTMIN + 1) &&
	    sig_is("rtmax", SIGRTMAX) && sig_is("RTMAX-2", SIGRTMAX - 2), "realtime names");
	ok(sig_is("RTMIN-1", 0) && sig_is("RTMAX+1", 0) && sig_is("RTMIN+", 0) &&
	    sig_is("RTMIN+99", 0) && sig_is("RTMIN+1x", 0), "realtime out of range or malformed");
	ok(fmt_is(SIGTERM, "TERM") && fmt_is(SIGABRT, "ABRT") && fmt_is(SIGCHLD, "CHLD") &&
	    fmt_is(SIGIO, "IO"), "fmt: the canonical name, not the alias");
	ok(fmt_is(SIGRTMIN, "RTMIN") && fmt_is(SIGRTMIN + 3, "RTMIN+3") &&
	    fmt_is(SIGRTMAX, "RTMAX") && fmt_is(SIGRTMAX - 1, "RTMAX-1"), "fmt: realtime");
	ok(fmt_is(0, "0") && fmt_is(-2147483647 - 1, "-2147483648") && fmt_is(99, "99"),
	    "fmt: no name, a number (fits SIGNAME_MAX)");
	roundtrip = 1;
	for (i = 1; i <= 64; i++) {
		char out[SIGNAME_MAX];
		signame_fmt(out, i);
		if (signame_parse(out, strlen(out)) != i)
			roundtrip = 0;
	}
	ok(roundtrip, "fmt then parse gives every signal 1..64 back");

	/* svfile_parse */
	ok(parses_to("300", 3, "300") && parses_to("300\n", 4, "300"), "value with or without one newline");
	ok(garbage("", 0, "empty") && garbage("\n", 1, "empty"), "empty file, lone newline");
	ok(garbage("300\n\n", 5, "more than one line") && garbage("3\n4", 3, "more than one line"),
	    "two lines");
	ok(garbage("3\0\n", 3, "holds a NUL byte"), "NUL byte");
	memset(big, '7', sizeof big);
	ok(parses_to(big, 63, "777777777777777777777777777777777777777777777777777777777777777"),
	    "63 bytes fit");
	ok(garbage(big, 64, "longer than 63 bytes"), "64 bytes do not");
	ok(parses_to(" 300", 4, " 300") && parses_to("300\r", 4, "300\r"),
	    "blanks are kept: the value's parser refuses them");

	/* svfile_parse_ms */
	ok(svfile_parse_ms("300", &ms, &why) == SVFILE_OK && ms == 300, "ms: 300");
	ok(svfile_parse_ms("0", &ms, &why) == SVFILE_OK && ms == 0, "ms: 0 is returned as 0");
	ok(svfile_parse_ms("2147483647", &ms, &why) == SVFILE_OK && ms == 2147483647UL, "ms: INT_MAX");
	ok(svfile_parse_ms("2147483648", &ms, &why) == SVFILE_INVALID &&
	    strcmp(why, "more than 2147483647 milliseconds") == 0, "ms: past INT_MAX refused");
	ok(svfile_parse_ms("99999999999999999999999", &ms, &why) == SVFILE_INVALID, "ms: huge refused");
	ok(svfile_parse_ms(" 300", &ms, &why) == SVFILE_INVALID &&
	    svfile_parse_ms("300 ", &ms, &why) == SVFILE_INVALID &&
	    svfile_parse_ms("-1", &ms, &why) == SVFILE_INVALID &&
	    svfile_parse_ms("3s", &ms, &why) == SVFILE_INVALID &&
	    svfile_parse_ms("300\r", &ms, &why) == SVFILE_INVALID &&
	    strcmp(why, "not a number of milliseconds") == 0, "ms: blanks, sign, unit, CR refused");

	/* files */
	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ok(svfile_read_ms(dirfd_, "timeout-kill", &ms, &why) == SVFILE_ABSENT, "absent file");
	put("timeout-kill", "250\n", 4);
	ok(svfile_read_ms(dirfd_, "timeout-kill", &ms, &why) == SVFILE_OK && ms == 250, "file read");
	put("timeout-kill", "250 ms\n", 7);
	why = 0;
	ok(svfile_read_ms(dirfd_, "timeout-kill", &ms, &why) == SVFILE_INVALID && why, "garbage file");
	memset(big, '1', sizeof big);
	put("timeout-kill", big, sizeof big);
	ok(svfile_read_ms(dirfd_, "timeout-kill", &ms, &why) == SVFILE_INVALID &&
	    strcmp(why, "longer than 63 bytes") == 0, "a long file is garbage (bounded read)");
	ok(symlinkat("timeout-kill", dirfd_, "link") == 0, "symlink");
	put("timeout-kill", "7", 1);
	ok(svfile_read_ms(dirfd_, "link", &ms, &why) == SVFILE_OK && ms == 7, "symlinks are followed");
	ok(symlinkat("nowhere", dirfd_, "dangling") == 0 &&
	    svfile_read_ms(dirfd_, "dangling", &ms, &why) == SVFILE_ABSENT, "a dangling symlink is absent");
	ok(mkfifoat(dirfd_, "fifo", 0600) == 0, "fifo");
	ok(svfile_read(dirfd_, "fifo", value, &why) == SVFILE_INVALID &&
	    strcmp(why, "not a regular file") == 0, "a FIFO is refused without blocking");
	ok(mkdirat(dirfd_, "adir", 0700) == 0 &&
	    svfile_read(dirfd_, "adir", value, &why) == SVFILE_INVALID, "a directory is refused");
	put("down-signal", "QUIT\n", 5);
	ok(svfile_read_signal(dirfd_, "down-signal", &sig, &why) == SVFILE_OK && sig == SIGQUIT,
	    "down-signal QUIT");
	put("down-signal", "SIGHUP", 6);
	ok(svfile_read_signal(dirfd_, "down-signal", &sig, &why) == SVFILE_OK && sig == SIGHUP,
	    "down-signal SIGHUP");
	put("down-signal", "9", 1);
	ok(svfile_read_signal(dirfd_, "down-signal", &sig, &why) == SVFILE_OK && sig == SIGKILL,
	    "down-signal 9");
	put("down-signal", "HANGUP\n", 7);
	ok(svfile_read_signal(dirfd_, "down-signal", &sig, &why) == SVFILE_INVALID &&
	    strcmp(why, "not a signal name or number") == 0, "down-signal garbage");
	ok(svfile_read_signal(dirfd_, "nothing", &sig, &why) == SVFILE_ABSENT, "down-signal absent");
	ok(fchmod(dirfd_, 0) == 0, "chmod 0");
	if (geteuid() == 0)
		ok(1, "# skip root reads anyway");
	else
		ok(svfile_read(dirfd_, "down-signal", value, &why) == SVFILE_ERROR &&
		    errno == EACCES, "unreadable: error with errno");
	fchmod(dirfd_, 0700);

	{
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			perror(cmd);
	}
	return done_testing();
}
